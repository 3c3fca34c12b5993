package io.redislock.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A minimal blocking RESP2 client over one socket. Not thread safe; callers synchronize.
 *
 * <p>Replies map to String (simple and bulk strings), Long (integers), List (arrays, with
 * nested errors kept as {@link RedisServer.RedisErrorReply} elements) and null (nil). A
 * top-level error reply is thrown as {@link RedisServer.RedisErrorReply}.
 */
final class RespConnection implements Closeable {

    private static final int MAX_LINE = 1 << 20;
    private static final int MAX_DEPTH = 32;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    /**
     * Connects, using {@code timeout} for both connect and every read, and authenticates when
     * a password is given.
     */
    static RespConnection open(String host, int port, Duration timeout, String password) throws IOException {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(millis);
            socket.connect(new InetSocketAddress(host, port), millis);
            RespConnection connection = new RespConnection(socket);
            if (password != null) {
                connection.call("AUTH", password);
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Sends one command and reads its reply; throws the reply if it is an error. */
    Object call(String... args) throws IOException {
        write(args);
        Object reply = read(0);
        if (reply instanceof RedisServer.RedisErrorReply error) {
            throw new RedisServer.RedisErrorReply(error.getMessage());
        }
        return reply;
    }

    private void write(String... args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("empty command");
        }
        writeAscii("*" + args.length + "\r\n");
        for (String arg : args) {
            byte[] bytes = (arg == null ? "" : arg).getBytes(StandardCharsets.UTF_8);
            writeAscii("$" + bytes.length + "\r\n");
            out.write(bytes);
            writeAscii("\r\n");
        }
        out.flush();
    }

    private void writeAscii(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }

    private Object read(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("RESP reply nested deeper than " + MAX_DEPTH);
        }
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by server");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new RedisServer.RedisErrorReply(line);
            case ':':
                return parseLong(line);
            case '$': {
                long length = parseLong(line);
                if (length < 0) {
                    return null;
                }
                if (length > Integer.MAX_VALUE - 16) {
                    throw new IOException("bulk reply too large: " + length);
                }
                byte[] data = in.readNBytes((int) length);
                if (data.length != length || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("truncated bulk reply");
                }
                return new String(data, StandardCharsets.UTF_8);
            }
            case '*': {
                long count = parseLong(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>((int) Math.min(count, 1024));
                for (long i = 0; i < count; i++) {
                    items.add(read(depth + 1));
                }
                return Collections.unmodifiableList(items);
            }
            default:
                throw new IOException("unexpected RESP type byte '" + (char) type + "' followed by: " + line);
        }
    }

    private static long parseLong(String line) throws IOException {
        try {
            return Long.parseLong(line);
        } catch (NumberFormatException e) {
            throw new IOException("malformed RESP integer: " + line, e);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
        for (int i = 0; i < MAX_LINE; i++) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed mid-reply");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("malformed RESP line ending");
                }
                return buffer.toString(StandardCharsets.UTF_8);
            }
            buffer.write(b);
        }
        throw new IOException("RESP line longer than " + MAX_LINE + " bytes");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
