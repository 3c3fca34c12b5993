package io.redislock.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free loopback port in front of one Redis, for faults that Redis itself cannot make: the
 * replies of the current connections can be swallowed ({@link #muteReplies()}: Redis still runs what it is
 * sent, the client never hears back), and every connection can be cut with a reset ({@link #cutAll()}).
 * Connections made after a cut are forwarded normally; while Redis is down, a connection is accepted and closed
 * at once. {@link #close()} stops it and cuts everything.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;

    /** One client connection and its connection to Redis. */
    private static final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean muted;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }
    }

    private TcpProxy(ServerSocket server, int target) {
        this.server = server;
        this.target = target;
        this.acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a proxy to {@code redis}.
     *
     * @param redis the server to forward to
     * @return the running proxy
     */
    public static TcpProxy to(RedisServer redis) {
        try {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            return new TcpProxy(s, redis.port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a redis:// URI of the proxy */
    public String uri() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * @return how many connections the proxy accepted so far (also those it closed at once because Redis
     *     could not be reached)
     */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** Swallows from now on every reply on the connections open now (requests still reach Redis). */
    public void muteReplies() {
        for (Link l : links) {
            l.muted = true;
        }
    }

    /** Cuts every open connection with a reset (the client sees it at once); new connections are accepted. */
    public void cutAll() {
        for (Link l : links) {
            cut(l);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        cutAll();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            try {
                Socket up = new Socket();
                up.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
                client.setTcpNoDelay(true);
                up.setTcpNoDelay(true);
                Link l = new Link(client, up);
                links.add(l);
                pump(l, client, up, false);
                pump(l, up, client, true);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Link l, Socket from, Socket to, boolean replies) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (!(replies && l.muted)) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // cut or closed
            } finally {
                cut(l);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void cut(Link l) {
        links.remove(l);
        for (Socket s : new Socket[] {l.client, l.upstream}) {
            try {
                s.setSoLinger(true, 0); // a reset, not a graceful close
            } catch (SocketException e) {
                // already closed
            }
            closeQuietly(s);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
