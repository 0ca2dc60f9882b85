package dev.baton.bgp;

/**
 * One BGP-4 message (RFC 4271 §4). The 19-octet header (marker, length, type) belongs to the
 * codec; these types hold only what follows it.
 */
sealed interface BgpMessage permits Open, Update, Keepalive, Notification, RouteRefresh {

    int OPEN = 1;
    int UPDATE = 2;
    int NOTIFICATION = 3;
    int KEEPALIVE = 4;
    /** RFC 2918 §3. */
    int ROUTE_REFRESH = 5;

    /** The header's type octet. */
    int type();
}
