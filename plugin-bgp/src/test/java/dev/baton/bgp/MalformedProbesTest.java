package dev.baton.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The malformed messages of {@code gobgp-malformed-probes}, sent to our decoder. GoBGP is lenient
 * (BGP.md lists what it lets through); we answer as RFC 4271 §6 asks, with RFC 7606's
 * treat-as-withdraw ("withdraw" below) where the message's structure survives the error.
 */
class MalformedProbesTest {

    /** case: "ok", or code/subcode, with " withdraw" for RFC 7606 treat-as-withdraw. */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("valid", "ok");
        EXPECTED.put("valid-withdraw", "ok");
        EXPECTED.put("hdr-bad-marker", "1/1"); // GoBGP: accepted; §6.1: connection not synchronized
        EXPECTED.put("hdr-len-short", "1/2");
        EXPECTED.put("hdr-len-long", "1/2"); // GoBGP: accepted; §4.1: at most 4096 without RFC 8654
        EXPECTED.put("keepalive-len-20", "1/2"); // GoBGP: accepted; §6.1: a KEEPALIVE is exactly 19
        EXPECTED.put("upd-withdrawn-len-overrun", "3/1");
        EXPECTED.put("upd-attr-len-overrun", "3/1");
        EXPECTED.put("upd-attr-inner-overrun", "3/1 withdraw"); // RFC 7606 §4
        EXPECTED.put("upd-missing-origin", "3/3 withdraw");
        EXPECTED.put("upd-missing-aspath", "3/3 withdraw");
        EXPECTED.put("upd-missing-nexthop", "3/3 withdraw");
        EXPECTED.put("upd-bad-origin-value", "3/6 withdraw");
        EXPECTED.put("upd-origin-bad-flags", "3/4 withdraw"); // GoBGP: 3/5; §6.3 names it a flags error
        EXPECTED.put("upd-origin-bad-len", "3/5 withdraw");
        EXPECTED.put("upd-nexthop-zero", "3/8 withdraw");
        EXPECTED.put("upd-nexthop-bad-len", "3/5 withdraw");
        EXPECTED.put("upd-aspath-bad-segtype", "3/11 withdraw");
        EXPECTED.put("upd-aspath-bad-seglen", "3/11 withdraw");
        EXPECTED.put("upd-aspath-wrong-first-as", "ok"); // §6.3: a MAY; we import no routes
        EXPECTED.put("upd-community-bad-len", "3/9 withdraw"); // RFC 7606 §7.8
        EXPECTED.put("upd-duplicate-origin", "ok"); // RFC 7606 §3(g): the first one counts
        EXPECTED.put("upd-unknown-wellknown", "3/2");
        EXPECTED.put("upd-unknown-optional", "ok");
        EXPECTED.put("upd-nlri-len-33", "3/10"); // GoBGP: 3/1; §6.3: invalid network field
        EXPECTED.put("upd-nlri-truncated", "3/10");
        EXPECTED.put("upd-mpreach-v6", "ok");
        EXPECTED.put("upd-mpreach-bad-nh-len", "3/9"); // RFC 7606 §7.11: session reset
        EXPECTED.put("open-bad-version", "2/1");
        EXPECTED.put("open-bad-peer-as", "ok"); // the session checks the AS: SessionTest
        EXPECTED.put("open-hold-1", "2/6");
        EXPECTED.put("open-bad-id", "2/3");
        EXPECTED.put("open-no-caps", "ok");
        EXPECTED.put("update-in-openconfirm", "ok"); // an OPEN: the FSM error is SessionTest's
        EXPECTED.put("hold-expire", "ok");
        EXPECTED.put("hdr-bad-type", "1/3"); // crashed GoBGP 3.10 (its issue 3325)
    }

    private static final Pattern CASE = Pattern.compile("\"case\": \"([^\"]+)\".*?\"sent\": \"([0-9a-f]+)\"");

    @Test
    void everyProbeGetsTheNotificationTheRfcsPrescribe() throws Exception {
        int checked = 0;
        for (String line : Files.readAllLines(Vectors.dir().resolve("gobgp-malformed-probes.results.jsonl"))) {
            Matcher m = CASE.matcher(line);
            if (!m.find()) {
                continue; // GoBGP's crash record carries no bytes
            }
            String name = m.group(1);
            String want = EXPECTED.get(name);
            assertThat(want).as("expectation for probe %s", name).isNotNull();
            byte[] sent = HexFormat.of().parseHex(m.group(2));
            assertThat(outcome(sent)).as("probe %s", name).isEqualTo(want);
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(EXPECTED.size());
    }

    @Test
    void wrongVersionCarriesTheVersionWeSpeak() {
        byte[] open = HexFormat.of().parseHex(
                "ffffffffffffffffffffffffffffffff00330103fde9005a0a62000b160214010400010001010400020001020041040000fde9");
        assertThatThrownBy(() -> BgpDecoder.decode(Unpooled.wrappedBuffer(open), true))
                .isInstanceOfSatisfying(BgpException.class, e -> assertThat(e.notification().data()).containsExactly(0, 4));
    }

    @Test
    void unknownWellKnownAttributeIsReturnedInTheNotification() throws Exception {
        String line = Files.readAllLines(Vectors.dir().resolve("gobgp-malformed-probes.results.jsonl")).stream()
                .filter(l -> l.contains("\"upd-unknown-wellknown\"")).findFirst().orElseThrow();
        Matcher m = CASE.matcher(line);
        assertThat(m.find()).isTrue();
        try {
            BgpDecoder.decode(Unpooled.wrappedBuffer(HexFormat.of().parseHex(m.group(2))), true);
            fail("decoded");
        } catch (BgpException e) {
            // GoBGP sent the same data: the attribute as received (§6.3).
            assertThat(HexFormat.of().formatHex(e.notification().data())).isEqualTo("40c80100");
        }
    }

    static String outcome(byte[] message) {
        try {
            BgpDecoder.decode(Unpooled.wrappedBuffer(message), true);
            return "ok";
        } catch (BgpException e) {
            return e.notification().code() + "/" + e.notification().subcode() + (e.treatAsWithdraw() ? " withdraw" : "");
        }
    }
}
