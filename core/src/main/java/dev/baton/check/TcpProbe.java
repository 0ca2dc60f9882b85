package dev.baton.check;

import dev.baton.api.Durations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** {@code type: tcp}: a connection accepted within the timeout passes; it is closed at once. */
final class TcpProbe implements Probe {

    private final InetSocketAddress address;

    TcpProbe(InetSocketAddress address) {
        this.address = address;
    }

    @Override
    public Result run(Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(address, (int) Math.max(1, timeout.toMillis()));
            return Result.pass("connected");
        } catch (SocketTimeoutException e) {
            return Result.fail("connect timed out after " + Durations.format(timeout));
        } catch (IOException e) {
            return Result.fail("connect failed: " + e.getMessage());
        }
    }
}
