package dev.baton.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The test parser is itself strict: it must reject what Prometheus rejects, or it proves nothing. */
class PromTextTest {

    @Test
    void readsFamiliesLabelsEscapesAndHistograms() {
        Map<String, PromText.Family> m = PromText.parse("""
                # HELP a_total A counter\\nwith a newline
                # TYPE a_total counter
                a_total{x="q\\"uote",y="back\\\\slash"} 3 1700000000000
                # TYPE h histogram
                h_bucket{le="0.1"} 1
                h_bucket{le="+Inf"} 2
                h_sum 0.3
                h_count 2
                """);
        assertThat(m.get("a_total").help()).isEqualTo("A counter\nwith a newline");
        assertThat(m.get("a_total").samples().getFirst().labels()).containsEntry("x", "q\"uote").containsEntry("y", "back\\slash");
        assertThat(m.get("h").samples()).hasSize(4);
        assertThat(m.get("h").type()).isEqualTo("histogram");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a{x=\"1\"} one\n",
        "a{x=1} 1\n",
        "a{x=\"1\",x=\"2\"} 1\n",
        "a 1\na 1\n",
        "# TYPE a counter\n# TYPE a gauge\n",
        "a 1\n# TYPE a counter\n",
        "a 1\nb 1\na{x=\"2\"} 1\n",
        "# TYPE h histogram\nh 1\n",
        "# TYPE h histogram\nh_bucket 1\n",
        "a{x=\"\\t\"} 1\n",
        "0a 1\n",
        "a 1",
    })
    void rejectsMalformedExpositions(String text) {
        assertThatThrownBy(() -> PromText.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
