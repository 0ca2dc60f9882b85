package dev.baton.linode;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * OkHttp as this plugin uses it: one client per provider with its own daemon threads (stopped in
 * {@link #shutdown}, so the plugin can be unloaded), every exchange bounded by a call timeout, and
 * the caller's wait interruptible: the engine abandons a call past its own timeout by
 * interrupting it, and a blocking socket read would not notice.
 */
final class Http {

    /** A complete answer, body read: nothing left to block on once it is in hand. */
    record Reply(int code, Headers headers, String body) {}

    private Http() {}

    static OkHttpClient newClient(Duration timeout, String threadName) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        return new OkHttpClient.Builder()
                .dispatcher(new Dispatcher(threads))
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(timeout) // the whole exchange: DNS, connect, request, answer, body
                .retryOnConnectionFailure(true) // a pooled connection the server closed: OkHttp's own safe retry
                .followRedirects(false) // a redirect would carry the token to wherever it points
                .build();
    }

    /**
     * Sends {@code request} and returns the whole answer. The body is read on OkHttp's thread, so
     * only this wait blocks here, and an interrupt cancels the call at once.
     */
    static Reply send(OkHttpClient client, Request request) throws IOException, InterruptedException {
        Call call = client.newCall(request);
        CompletableFuture<Reply> done = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                done.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    ResponseBody body = response.body();
                    done.complete(new Reply(response.code(), response.headers(), body.string()));
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
            }
        });
        try {
            return done.get();
        } catch (InterruptedException e) {
            call.cancel();
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /** Stops the client's threads and closes its connections. */
    static void shutdown(OkHttpClient client) {
        client.dispatcher().cancelAll();
        client.dispatcher().executorService().shutdownNow();
        client.connectionPool().evictAll();
    }
}
