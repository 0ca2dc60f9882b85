package dev.baton.linode;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.VipSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every request the plugin makes, in both modes and through every operation it has, checked
 * against Linode's OpenAPI description: path and parameters, and request bodies against their
 * schemas (additionalProperties false, required fields, types). The
 * stand-in's answers are checked too, so the plugin was fed the shapes Linode documents.
 */
class ContractTest {

    private Fixture f;

    @BeforeEach
    void needsTheContract() {
        Contract.file();
    }

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void everyRequestOfBothModesFollowsTheContract() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 222L);
        f.linode.holders.put("10.99.0.77", 999L);
        f.linode.shared.put(333L, List.of("10.99.0.77"));

        LinodeProvider assign = f.configure("mode", "assign", "linode_id", 111);
        assign.start();
        assign.acquire(VipSet.of(Fixture.VIP));
        assign.inspect(VipSet.of(Fixture.VIP));
        assign.release(VipSet.of(Fixture.VIP));
        assign.close();

        LinodeProvider share = f.configure("mode", "share", "linode_id", 333, "share_with", List.of(111, 222, 333, 444));
        share.start();
        share.acquire(VipSet.of(Fixture.VIP));
        share.inspect(VipSet.of(Fixture.VIP));
        share.close();

        List<RecordedRequest> api = f.linode.apiRequests();
        Set<String> operations = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        for (RecordedRequest r : api) {
            operations.add(r.getMethod() + " " + r.getUrl().encodedPath().replaceAll("/instances/\\d+/", "/instances/{id}/")
                    .replaceAll("/ips/[0-9.]+$", "/ips/{address}"));
            ValidationReport report = Contract.request(r);
            if (report.hasErrors()) {
                failures.add(r.getRequestLine() + " " + (r.getBody() == null ? "" : r.getBody().utf8()) + Contract.describe(report));
            }
        }
        assertThat(failures).isEmpty();
        // The contract allows a personal access token (HTTP bearer, RFC 6750) or OAuth, and the
        // validator cannot check OAuth, so it passes any request: the scheme is checked here.
        assertThat(api).allSatisfy(r -> assertThat(r.getHeaders().values("Authorization"))
                .containsExactly("Bearer " + FakeLinode.TOKEN));
        assertThat(operations).containsExactly(
                "GET /v4/linode/instances/{id}/ips",
                "GET /v4/networking/ips/{address}",
                "POST /v4/networking/ips/assign",
                "POST /v4/networking/ips/share");
        // The share request that merged 10.99.0.77 (shared before) with the VIP, as the contract has it.
        assertThat(f.linode.shared.get(333L)).containsExactly("10.99.0.77", "10.99.0.50");
    }

    @Test
    void anIpv6RangeShareFollowsTheContract() throws Exception {
        f = new Fixture();
        f.configureFor(false, VipSet.of(Fixture.vip("fd99:0:0:7::", 64)), "mode", "share", "linode_id", 222,
                "share_with", List.of(333));
        f.provider.start();
        RecordedRequest post = f.linode.apiRequests().stream().filter(r -> r.getMethod().equals("POST")).findFirst().orElseThrow();
        ValidationReport report = Contract.request(post);
        assertThat(report.hasErrors()).as(Contract.describe(report)).isFalse();
        assertThat(post.getBody().utf8()).isEqualTo("{\"linode_id\":333,\"ips\":[\"fd99:0:0:7::\"]}");
    }

    @Test
    void theStandInAnswersAsTheContractSays() throws Exception {
        f = new Fixture();
        f.linode.holders.put("10.99.0.50", 111L);
        f.linode.shared.put(111L, List.of("10.99.0.77"));
        f.linode.ranges.put(111L, java.util.Map.of("2600:3c01:1::", 999L));
        ObjectMapper json = new ObjectMapper();
        List<String[]> answers = List.of(
                new String[] {"GET", "/v4/networking/ips/10.99.0.50", f.linode.ip("10.99.0.50", 111).toString()},
                new String[] {"GET", "/v4/linode/instances/111/ips", f.linode.linodeIps(111).toString()},
                new String[] {"POST", "/v4/networking/ips/assign", json.createObjectNode().toString()},
                new String[] {"POST", "/v4/networking/ips/share", json.createObjectNode().toString()});
        for (String[] a : answers) {
            ValidationReport report = Contract.response(a[0], a[1], 200, a[2]);
            assertThat(report.hasErrors()).as(a[0] + " " + a[1] + Contract.describe(report)).isFalse();
        }
        ValidationReport error = Contract.response("POST", "/v4/networking/ips/assign", 400,
                "{\"errors\": [{\"reason\": \"Linode busy.\", \"field\": \"assignments\"}]}");
        assertThat(error.hasErrors()).as(Contract.describe(error)).isFalse();
    }

    /** The validator is not a rubber stamp: requests that break the contract are caught. */
    @Test
    void theValidatorCatchesRequestsThatBreakTheContract() {
        assertThat(Contract.request(recorded("POST", "/v4/networking/ips/share", true,
                "{\"linode_id\":\"333\",\"ips\":[\"10.99.0.50\"]}")).hasErrors()).as("linode_id as a string").isTrue();
        assertThat(Contract.request(recorded("POST", "/v4/networking/ips/assign", true,
                "{\"assignments\":[{\"address\":\"10.99.0.50\",\"linode_id\":1}]}")).hasErrors()).as("no region").isTrue();
        assertThat(Contract.request(recorded("POST", "/v4/networking/ips/share", true,
                "{\"linode_id\":333,\"ips\":[],\"extra\":1}")).hasErrors()).as("an unknown field").isTrue();
        assertThat(Contract.request(recorded("GET", "/v4/linode/instances/abc/ips", true, null)).hasErrors())
                .as("a linode id that is not a number").isTrue();
        assertThat(Contract.request(recorded("GET", "/v3/networking/ips/10.99.0.50", true, null)).hasErrors())
                .as("an API version Linode does not have").isTrue();
    }

    private static RecordedRequest recorded(String method, String path, boolean auth, String body) {
        Headers.Builder h = new Headers.Builder().add("Accept", "application/json");
        if (auth) {
            h.add("Authorization", "Bearer x");
        }
        if (body != null) {
            h.add("Content-Type", "application/json; charset=utf-8");
        }
        okhttp3.HttpUrl url = okhttp3.HttpUrl.get("http://127.0.0.1" + path);
        ByteString bytes = body == null ? null : ByteString.encodeUtf8(body);
        return new RecordedRequest(0, 0, null, List.of(), method, path, "HTTP/1.1", url, h.build(), bytes,
                body == null ? 0 : bytes.size(), List.of(), null);
    }
}
