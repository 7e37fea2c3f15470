package dev.netmeter.api;

import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Counts the requests being served, so that a shutdown can wait for them. Thread-safe. */
final class InFlightRequests {
    private int count;

    synchronized void enter() {
        count++;
    }

    synchronized void leave() {
        count--;
        if (count == 0) {
            notifyAll();
        }
    }

    synchronized int count() {
        return count;
    }

    /** Waits until no request is in flight, at most {@code timeout}; returns whether that happened. */
    synchronized boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * A Jetty handler wrapper that counts each request from its arrival until Jetty's completion callback,
     * that is, until its response has been written.
     */
    Handler.Wrapper countingHandler() {
        return new Handler.Wrapper() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                enter();
                Callback counted = new Callback() {
                    @Override
                    public void succeeded() {
                        try {
                            callback.succeeded();
                        } finally {
                            leave();
                        }
                    }

                    @Override
                    public void failed(Throwable failure) {
                        try {
                            callback.failed(failure);
                        } finally {
                            leave();
                        }
                    }

                    @Override
                    public InvocationType getInvocationType() {
                        return callback.getInvocationType();
                    }
                };
                boolean handled;
                try {
                    handled = super.handle(request, response, counted);
                } catch (Exception | Error e) {
                    leave();
                    throw e;
                }
                if (!handled) {
                    leave();
                }
                return handled;
            }
        };
    }
}
