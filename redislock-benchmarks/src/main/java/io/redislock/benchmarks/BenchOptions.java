package io.redislock.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The harness's command line: mode, seed, scenarios and output directory, and the command as given.
 * Only a full run of every scenario (no {@code --quick}, {@code --diagnose} or {@code --scenarios}
 * narrowing) writes to {@code docs/benchmarks}, the results the README shows; other runs default to
 * {@code target/benchmarks}.
 *
 * @param quick whether {@code --quick} was given
 * @param diagnostics whether {@code --diagnose} was given
 * @param seed the shuffle seed
 * @param scenarios the scenarios to run, in order
 * @param out where results.md and chart.png go
 * @param args the arguments as given
 *
 * <p>Thread-safety: immutable.
 */
public record BenchOptions(boolean quick, boolean diagnostics, long seed, Set<Integer> scenarios, Path out,
        List<String> args) {
    /** Every scenario. */
    public static final Set<Integer> ALL = Set.of(1, 2, 3, 4, 5);

    /** Copies the collections. */
    public BenchOptions {
        scenarios = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(scenarios));
        args = List.copyOf(args);
    }

    /**
     * Parses the arguments.
     *
     * @param args the command line
     * @param defaultSeed the seed without {@code --seed}
     * @return the options, or null for {@code --help}
     * @throws IllegalArgumentException naming the option and the expected form if an argument is wrong
     */
    public static BenchOptions parse(String[] args, long defaultSeed) {
        boolean quick = false;
        boolean diagnostics = false;
        long seed = defaultSeed;
        Path out = null;
        Set<Integer> which = new LinkedHashSet<>(List.of(1, 2, 3, 4, 5));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--diagnose" -> diagnostics = true;
                case "--seed" -> seed = number("--seed", value(args, ++i, "--seed"), "an integer, e.g. --seed 42");
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--scenarios" -> {
                    which.clear();
                    for (String s : value(args, ++i, "--scenarios").split(",")) {
                        long n = number("--scenarios", s.trim(), "numbers 1 to 5 separated by commas, e.g. --scenarios 1,3");
                        if (n < 1 || n > 5) {
                            throw new IllegalArgumentException("--scenarios: scenarios are 1 to 5, got " + n);
                        }
                        which.add((int) n);
                    }
                }
                case "-h", "--help" -> {
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (out == null) {
            boolean fullRunOfAll = !quick && !diagnostics && which.containsAll(ALL);
            out = fullRunOfAll ? Path.of("docs", "benchmarks") : Path.of("target", "benchmarks");
        }
        return new BenchOptions(quick, diagnostics, seed, which, out, List.of(args));
    }

    /** @return the command as given, e.g. {@code ./benchmark --quick --scenarios 3} */
    public String command() {
        List<String> words = new ArrayList<>();
        words.add("./benchmark");
        for (String a : args) {
            words.add(a.matches("[A-Za-z0-9_./,:=@%+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return String.join(" ", words);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static long number(String option, String text, String expected) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes " + expected + ", got \"" + text + "\"");
        }
    }
}
