package dev.baton.linode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderException;
import dev.baton.api.VipSet;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider's behaviour against a stateful stand-in of the API: who holds what, afterwards. */
class LinodeProviderTest {

    private Fixture f;

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void assignModeMovesTheVipHereAndReadsItBack() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 222L);
        LinodeProvider p = f.configure("mode", "assign", "linode_id", 111);
        p.start();
        assertThat(p.inspect(VipSet.of(Fixture.VIP))).isEqualTo(Ownership.elsewhere("linode 222"));

        p.acquire(VipSet.of(Fixture.VIP));

        assertThat(f.linode.holders).containsEntry("10.99.0.50", 111L);
        assertThat(p.inspect(VipSet.of(Fixture.VIP)).isHere()).isTrue();
        RecordedRequest assign = f.linode.requests.stream().filter(r -> r.getMethod().equals("POST")).findFirst().orElseThrow();
        assertThat(assign.getUrl().encodedPath()).isEqualTo("/v4/networking/ips/assign");
        assertThat(assign.getBody().utf8())
                .isEqualTo("{\"region\":\"us-east\",\"assignments\":[{\"address\":\"10.99.0.50\",\"linode_id\":111}]}");
    }

    @Test
    void assignModeReleaseLeavesTheIpWhereItIsAndAMasterReassertsWhenItMoved() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 111L);
        LinodeProvider p = f.configure("mode", "assign", "linode_id", 111);
        p.start();
        int before = f.linode.requests.size();
        p.release(VipSet.of(Fixture.VIP));
        assertThat(f.linode.requests).hasSize(before); // never takes an IP from anyone
        assertThat(f.linode.holders).containsEntry("10.99.0.50", 111L);

        f.linode.holders.put("10.99.0.50", 333L); // someone else took it
        assertThat(p.inspect(VipSet.of(Fixture.VIP)).status()).isEqualTo(Ownership.Status.ELSEWHERE);
        p.acquire(VipSet.of(Fixture.VIP));
        assertThat(f.linode.holders).containsEntry("10.99.0.50", 111L);
    }

    @Test
    void theRegionComesFromTheVipWhenNotConfigured() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 222L);
        LinodeProvider p = f.configure("mode", "assign", "linode_id", 111);
        p.start();
        p.acquire(VipSet.of(Fixture.VIP));
        assertThat(f.linode.bodies).anyMatch(b -> b.contains("\"region\":\"us-east\""));
    }

    @Test
    void aVipInAnotherRegionIsRefusedAtStart() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 222L);
        LinodeProvider p = f.configure("mode", "assign", "linode_id", 111, "region", "eu-west");
        assertThatThrownBy(p::start).isInstanceOf(ProviderException.class)
                .hasMessageContaining("10.99.0.50 is in region us-east and linode 111 in eu-west")
                .satisfies(e -> assertThat(((ProviderException) e).isRetryable()).isFalse());
    }

    @Test
    void identityAndRegionComeFromTheMetadataService() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 222L);
        f.linode.metadataId = 444;
        LinodeProvider p = f.configure("mode", "assign");
        p.start();
        p.acquire(VipSet.of(Fixture.VIP));
        assertThat(f.linode.holders).containsEntry("10.99.0.50", 444L);
        RecordedRequest token = f.linode.requests.get(0);
        assertThat(token.getMethod() + " " + token.getUrl().encodedPath()).isEqualTo("PUT /v1/token");
        assertThat(token.getHeaders().get("Metadata-Token-Expiry-Seconds")).isEqualTo("60");
        RecordedRequest instance = f.linode.requests.get(1);
        assertThat(instance.getMethod() + " " + instance.getUrl().encodedPath()).isEqualTo("GET /v1/instance");
        assertThat(instance.getHeaders().get("Metadata-Token")).isEqualTo("metadata-token-42");
        assertThat(instance.getHeaders().get("Authorization")).as("the API token stays with the API").isNull();
        assertThat(f.context.lines()).noneMatch(l -> l.contains("metadata-token-42"));
    }

    @Test
    void withoutMetadataOrLinodeIdStartFailsNamingTheFix() throws Exception {
        f = new Fixture();
        LinodeProvider p = f.configure("mode", "assign"); // the fake's metadata service refuses
        assertThatThrownBy(p::start).isInstanceOf(ProviderException.class)
                .hasMessageContaining("metadata service").hasMessageContaining("set linode_id");
    }

    @Test
    void shareModeAddsTheVipToEveryListedLinodeAndKeepsWhatWasSharedBefore() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 111L);  // the VIP lives on 111
        f.linode.holders.put("10.99.0.77", 999L);  // another failover pair's IP...
        f.linode.shared.put(222L, List.of("10.99.0.77")); // ...already shared with 222
        LinodeProvider p = f.configure("mode", "share", "linode_id", 222, "share_with", List.of(111, 222, 333));
        p.start();

        assertThat(f.linode.shared.get(222L)).containsExactly("10.99.0.77", "10.99.0.50");
        assertThat(f.linode.shared.get(333L)).containsExactly("10.99.0.50");
        assertThat(f.linode.shared).doesNotContainKey(111L); // its own IP: nothing to share
        assertThat(f.linode.holders).containsEntry("10.99.0.50", 111L); // sharing moves nothing

        // Idempotent: a second start finds everything shared and writes nothing.
        long posts = f.linode.requests.stream().filter(r -> r.getMethod().equals("POST")).count();
        LinodeProvider again = f.configure("mode", "share", "linode_id", 222, "share_with", List.of(111, 222, 333));
        again.start();
        again.close();
        assertThat(f.linode.requests.stream().filter(r -> r.getMethod().equals("POST")).count()).isEqualTo(posts);
    }

    @Test
    void shareModeAcquireCostsNoRequestOnceSharedAndInspectTellsMasterFromBackup() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 111L);
        LinodeProvider p = f.configure("mode", "share", "linode_id", 222, "share_with", List.of(111));
        p.start();
        int before = f.linode.requests.size();
        p.acquire(VipSet.of(Fixture.VIP));
        assertThat(f.linode.requests).hasSize(before);
        assertThat(p.inspect(VipSet.of(Fixture.VIP)).isHere()).isTrue();
        p.release(VipSet.of(Fixture.VIP));
        // A backup that may carry the VIP is neither "here" (the engine would release again) nor missing.
        assertThat(p.inspect(VipSet.of(Fixture.VIP)).status()).isEqualTo(Ownership.Status.UNKNOWN);

        f.linode.shared.remove(222L); // someone dropped our share in the Cloud Manager
        assertThat(p.inspect(VipSet.of(Fixture.VIP)).status()).isEqualTo(Ownership.Status.NONE);
        p.acquire(VipSet.of(Fixture.VIP)); // re-asserts the share
        assertThat(f.linode.shared.get(222L)).containsExactly("10.99.0.50");
    }

    @Test
    void shareModeKeepsIpv6RangesSharedFromOtherLinodesAndLeavesOwnRangesOut() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 111L);
        // 333 carries one range routed to 999 (shared with it) and one routed to itself (its own).
        f.linode.ranges.put(333L, java.util.Map.of("2600:3c01:1::", 999L, "2600:3c01:2::", 333L));
        f.configure("mode", "share", "linode_id", 111, "share_with", List.of(333));
        f.provider.start();
        assertThat(f.linode.shared.get(333L)).containsExactly("2600:3c01:1::", "10.99.0.50");
    }

    @Test
    void shareModeSharesAnIpv6RangeWithoutItsPrefixLength() throws Exception {
        f = new Fixture();
        VipSet v6 = VipSet.of(Fixture.vip("fd99:0:0:7::1", 64));
        f.configureFor(false, v6, "mode", "share", "linode_id", 222, "share_with", List.of(333));
        f.provider.start();
        assertThat(f.linode.shared.get(333L)).containsExactly("fd99:0:0:7::");
    }

    @Test
    void dryRunReadsButNeverWritesAndLogsTheCallsItWouldMake() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 222L);
        LinodeProvider p = f.configureFor(true, VipSet.of(Fixture.VIP), "mode", "assign", "linode_id", 111);
        p.start();
        p.acquire(VipSet.of(Fixture.VIP));
        assertThat(p.inspect(VipSet.of(Fixture.VIP)).isHere()).isTrue();
        assertThat(f.linode.requests).noneMatch(r -> r.getMethod().equals("POST"));
        assertThat(f.linode.holders).containsEntry("10.99.0.50", 222L);
        assertThat(f.context.lines()).anyMatch(l -> l.contains("dry run: would POST /v4/networking/ips/assign "
                + "{\"region\":\"us-east\",\"assignments\":[{\"address\":\"10.99.0.50\",\"linode_id\":111}]}"));

        Fixture share = new Fixture();
        try {
            share.linode.holders.put("10.99.0.50", 111L);
            LinodeProvider s = share.configureFor(true, VipSet.of(Fixture.VIP), "mode", "share", "linode_id", 222,
                    "share_with", List.of(111, 222));
            s.start();
            assertThat(share.linode.requests).noneMatch(r -> r.getMethod().equals("POST"));
            assertThat(share.context.lines()).anyMatch(l -> l.contains(
                    "dry run: would POST /v4/networking/ips/share {\"linode_id\":222,\"ips\":[\"10.99.0.50\"]}"));
        } finally {
            share.close();
        }
    }

    @Test
    void aTokenRotatedOnDiskIsPickedUpAfterA401() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 222L);
        java.nio.file.Files.writeString(f.tokenFile, "an-old-token\n");
        LinodeProvider p = f.configure("mode", "assign", "linode_id", 111);
        java.nio.file.Files.writeString(f.tokenFile, FakeLinode.TOKEN + "\n"); // rotated after configure
        p.start();
        p.acquire(VipSet.of(Fixture.VIP));
        assertThat(f.linode.holders).containsEntry("10.99.0.50", 111L);
        assertThat(f.context.lines()).noneMatch(l -> l.contains("an-old-token"));
    }

    @Test
    void closeStopsTheClientsThreads() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 111L);
        LinodeProvider p = f.configure("mode", "assign", "linode_id", 111);
        p.start();
        p.close();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (threads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(threads()).isZero();
    }

    private static long threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("baton-linode-web")).count();
    }
}
