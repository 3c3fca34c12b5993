package io.redislock.cli.demo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking RESP2 connection: the demo's application-side access to its resource, one per
 * worker, as separate processes would have.
 *
 * <p>Thread-safety: not thread-safe; one owner thread.
 */
public final class Resp implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 5000;
    private static final int MAX_DEPTH = 8;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Resp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    /**
     * Connects to a Redis on the loopback interface.
     *
     * @param host the host, e.g. 127.0.0.1
     * @param port the port
     * @return the connection
     * @throws IOException if it cannot connect
     */
    public static Resp connect(String host, int port) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            return new Resp(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Sends one command and reads its reply.
     *
     * @param args the command and its arguments
     * @return a String, Long, List or null
     * @throws IOException on connection failures, timeouts, or an error reply
     */
    public Object call(String... args) throws IOException {
        out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            out.write(('$' + Integer.toString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
        return read(0);
    }

    /**
     * GET as a number.
     *
     * @param key the key
     * @return its value, 0 when missing
     * @throws IOException on failure
     */
    public long getLong(String key) throws IOException {
        Object v = call("GET", key);
        return v == null ? 0 : Long.parseLong((String) v);
    }

    private Object read(int depth) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by Redis");
        }
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IOException("Redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len + 2);
                if (data.length != len + 2) {
                    throw new EOFException("truncated reply");
                }
                return new String(data, 0, len, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                if (depth >= MAX_DEPTH) {
                    throw new IOException("reply nested too deeply");
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read(depth + 1));
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type '" + (char) type + "'");
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 1 << 20; i++) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed by Redis");
            }
            if (c == '\r') {
                in.read();
                return b.toString(StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        throw new IOException("reply line too long");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
