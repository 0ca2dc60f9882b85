package dev.baton.bgp;

import dev.baton.api.ProviderMetrics;

/** The speaker's metric handles, declared once at configure time. */
final class SpeakerMetrics {

    final ProviderMetrics.Counter updatesSent;
    final ProviderMetrics.Counter notificationsSent;
    final ProviderMetrics.Counter notificationsReceived;
    final ProviderMetrics.Counter sessionResets;
    final ProviderMetrics.Counter malformedUpdates;
    final ProviderMetrics.Counter malformedMessages;
    final ProviderMetrics.Gauge established;

    SpeakerMetrics(ProviderMetrics m) {
        updatesSent = m.counter("updates_sent", "BGP UPDATE messages sent");
        notificationsSent = m.counter("notifications_sent", "BGP NOTIFICATION messages sent");
        notificationsReceived = m.counter("notifications_received", "BGP NOTIFICATION messages received");
        sessionResets = m.counter("session_resets", "Established BGP sessions that went down");
        malformedUpdates = m.counter("malformed_updates",
                "UPDATEs from a peer with attribute errors, treated as withdraw (RFC 7606)");
        malformedMessages = m.counter("malformed_messages", "Messages from a peer that ended the session");
        established = m.gauge("sessions_established", "BGP sessions in state Established");
    }
}
