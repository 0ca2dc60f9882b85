package dev.baton.linode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.ProviderException;
import dev.baton.api.VipSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults injected in front of the stand-in API: what the provider sends next, how long it waits
 * (recorded by the fake clock, not slept), and what it tells the engine when it gives up.
 */
class FaultTest {

    private Fixture f;
    private LinodeProvider p;
    private final VipSet vips = VipSet.of(Fixture.VIP);

    @BeforeEach
    void setUp() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 222L);
        p = f.configure("mode", "assign", "linode_id", 111, "region", "us-east", "request_timeout", "300ms");
        p.start();
        f.linode.requests.clear();
        f.clock.pauses.clear();
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    private static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                .body("{\"errors\": [{\"reason\": \"Please try again\"}]}").build();
    }

    @Test
    void a429IsRetriedAfterTheRetryAfterTheApiGave() throws Exception {
        f.linode.faults.add(new MockResponse.Builder().code(429).addHeader("Retry-After", "3")
                .body("{\"errors\": [{\"reason\": \"Too many requests\"}]}").build());
        p.acquire(vips);
        assertThat(f.linode.holders).containsEntry("10.99.0.50", 111L);
        assertThat(f.linode.requests).hasSize(2);
        assertThat(f.clock.pauses).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(3)));
    }

    @Test
    void a429WithoutRetryAfterWaitsForTheRateLimitReset() throws Exception {
        long reset = f.clock.now().getEpochSecond() + 5;
        f.linode.faults.add(new MockResponse.Builder().code(429).addHeader("X-RateLimit-Reset", Long.toString(reset)).build());
        p.acquire(vips);
        assertThat(f.linode.requests).hasSize(2);
        assertThat(f.clock.paused()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
    }

    @Test
    void a429BeyondTheBudgetFailsRetryablyAndHoldsBackTheNextCallsWithoutSendingThem() throws Exception {
        f.linode.faults.add(new MockResponse.Builder().code(429).addHeader("Retry-After", "60").build());
        assertThatThrownBy(() -> p.acquire(vips)).isInstanceOf(ProviderException.class)
                .hasMessageContaining("rate limit").hasMessageContaining("next request allowed in")
                .satisfies(e -> assertThat(((ProviderException) e).isRetryable()).isTrue());
        assertThat(f.linode.requests).hasSize(1);
        // The engine retries, probes, reads back: none of it reaches the API before the minute is up.
        assertThatThrownBy(() -> p.inspect(vips)).hasMessageContaining("not sent: Linode API rate limit");
        assertThat(f.linode.requests).hasSize(1);
        assertThat(f.clock.pauses).isEmpty();
    }

    @Test
    void serverErrorsAreRetriedWithGrowingJitteredBackoffThenSucceed() throws Exception {
        f.linode.faults.add(status(500));
        f.linode.faults.add(status(502));
        f.linode.faults.add(status(503));
        p.acquire(vips);
        assertThat(f.linode.holders).containsEntry("10.99.0.50", 111L);
        assertThat(f.linode.requests).hasSize(4);
        assertThat(f.clock.pauses).hasSize(3);
        // Equal jitter around 250 ms, 500 ms, 1 s: each at least half its nominal delay, at most all of it.
        assertThat(f.clock.pauses.get(0)).isBetween(Duration.ofMillis(125), Duration.ofMillis(250));
        assertThat(f.clock.pauses.get(1)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
        assertThat(f.clock.pauses.get(2)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
    }

    @Test
    void serverErrorsThatDoNotStopFailRetryablyWithinTheBudget() throws Exception {
        for (int i = 0; i < 20; i++) {
            f.linode.faults.add(status(503));
        }
        assertThatThrownBy(() -> p.acquire(vips)).isInstanceOf(ProviderException.class)
                .hasMessageContaining("POST /v4/networking/ips/assign failed after")
                .hasMessageContaining("503: Please try again")
                .satisfies(e -> assertThat(((ProviderException) e).isRetryable()).isTrue());
        assertThat(f.linode.requests.size()).isBetween(2, ApiClient.MAX_ATTEMPTS);
        assertThat(f.clock.paused()).isLessThanOrEqualTo(Duration.ofSeconds(8)); // retry_budget's default
    }

    @Test
    void requestTimeoutAndLinodeBusyAreRetried() throws Exception {
        f.linode.faults.add(status(408));
        f.linode.faults.add(FakeLinode.error(400, "Linode busy.", null));
        p.acquire(vips);
        assertThat(f.linode.requests).hasSize(3);
        assertThat(f.linode.holders).containsEntry("10.99.0.50", 111L);
    }

    @Test
    void anAnswerSlowerThanTheRequestTimeoutIsAbandonedAndRetried() throws Exception {
        f.linode.faults.add(new MockResponse.Builder().code(200).headersDelay(3, TimeUnit.SECONDS).body("{}").build());
        long t0 = System.nanoTime();
        p.acquire(vips);
        assertThat(f.linode.requests).hasSize(2);
        assertThat(f.linode.holders).containsEntry("10.99.0.50", 111L);
        assertThat(f.context.lines()).anyMatch(l -> l.contains("no answer within 300ms; retrying"));
        // Bounded below by the timeout itself: the first attempt was given its 300 ms.
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void anApiThatNeverAnswersFailsRetryablyWithinTheBudget() throws Exception {
        f.close();
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 222L);
        p = f.configure("mode", "assign", "linode_id", 111, "region", "us-east",
                "request_timeout", "200ms", "retry_budget", "1s");
        p.start();
        f.linode.requests.clear();
        for (int i = 0; i < 20; i++) {
            f.linode.faults.add(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).body("{}").build());
        }
        assertThatThrownBy(() -> p.inspect(vips)).isInstanceOf(ProviderException.class)
                .hasMessageContaining("GET /v4/networking/ips/10.99.0.50 failed after")
                .hasMessageContaining("no answer within 200ms");
        assertThat(f.linode.requests.size()).isBetween(1, ApiClient.MAX_ATTEMPTS);
    }

    @Test
    void malformedJsonIsAClearRetryableError() throws Exception {
        f.linode.faults.add(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"address\": \"10.99.0.50\", \"linode_id\": ").build());
        assertThatThrownBy(() -> p.inspect(vips)).isInstanceOf(ProviderException.class)
                .hasMessageContaining("Linode API answered GET /v4/networking/ips/10.99.0.50 with malformed JSON")
                .satisfies(e -> assertThat(((ProviderException) e).isRetryable()).isTrue());
        f.linode.faults.add(new MockResponse.Builder().code(200).body("<html>proxy error</html>").build());
        assertThatThrownBy(() -> p.inspect(vips)).hasMessageContaining("malformed JSON");
        f.linode.faults.add(new MockResponse.Builder().code(200).body("{\"linode_id\": \"abc\"}").build());
        assertThatThrownBy(() -> p.inspect(vips)).hasMessageContaining("linode_id that is not a number");
    }

    @Test
    void a401IsATokenRejectedErrorThatIsNotRetried() throws Exception {
        f.linode.faults.add(FakeLinode.error(401, "Invalid Token", null));
        assertThatThrownBy(() -> p.acquire(vips)).isInstanceOf(ProviderException.class)
                .hasMessageContaining("Linode API token rejected (401 Unauthorized) on POST /v4/networking/ips/assign")
                .hasMessageContaining("file " + f.tokenFile)
                .hasMessageNotContaining(FakeLinode.TOKEN)
                .satisfies(e -> assertThat(((ProviderException) e).isRetryable()).isFalse());
        assertThat(f.linode.requests).hasSize(1); // no retry storm
        assertThat(f.clock.pauses).isEmpty();
    }

    @Test
    void aLinodeErrorBodyBecomesAClearNonRetryableError() throws Exception {
        f.linode.faults.add(FakeLinode.error(400, "You must have access to all of these addresses", "assignments"));
        f.linode.holders.put("10.99.0.50", 222L);
        assertThatThrownBy(() -> p.acquire(vips)).isInstanceOf(ProviderException.class)
                .hasMessage("Linode API rejected POST /v4/networking/ips/assign (400: You must have access to all of "
                        + "these addresses (field assignments))")
                .satisfies(e -> assertThat(((ProviderException) e).isRetryable()).isFalse());
        f.linode.faults.add(FakeLinode.error(403, "Unauthorized", null));
        assertThatThrownBy(() -> p.inspect(vips)).hasMessageContaining("403: Unauthorized")
                .hasMessageContaining("needs read/write access");
    }

    @Test
    void anInterruptCancelsTheCallAtOnce() throws Exception {
        f.close();
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 222L);
        p = f.configure("mode", "assign", "linode_id", 111, "region", "us-east", "request_timeout", "30s");
        p.start();
        f.linode.faults.add(new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.SECONDS).body("{}").build());
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                p.acquire(vips);
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (f.linode.requests.stream().noneMatch(r -> r.getMethod().equals("POST")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        t.interrupt();
        Throwable e = outcome.get(10, TimeUnit.SECONDS); // well under the 30 s the server would take
        assertThat(e).isInstanceOf(ProviderException.class).hasMessageContaining("interrupted");
    }
}
