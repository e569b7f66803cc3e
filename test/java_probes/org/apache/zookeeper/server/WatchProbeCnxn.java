package org.apache.zookeeper.server;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import org.apache.jute.Record;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.ReplyHeader;

/**
 * Test probe: a connection without a socket, for driving watch managers from
 * a test. It has a session id, can be made stale, and records each event it
 * is given as "type path" (type as its int value).
 */
public class WatchProbeCnxn extends ServerCnxn {

    private long sessionId;
    private final List<String> events = new ArrayList<>();

    public WatchProbeCnxn(long sessionId) {
        super(null);
        this.sessionId = sessionId;
    }

    /** The events recorded since the last call, oldest first. */
    public synchronized List<String> takeEvents() {
        List<String> taken = new ArrayList<>(events);
        events.clear();
        return taken;
    }

    @Override
    public synchronized void process(WatchedEvent event, List<ACL> znodeAcl) {
        events.add(event.getType().getIntValue() + " " + event.getPath());
    }

    @Override
    public long getSessionId() {
        return sessionId;
    }

    @Override
    void setSessionId(long sessionId) {
        this.sessionId = sessionId;
    }

    @Override
    int getSessionTimeout() {
        return 0;
    }

    @Override
    void setSessionTimeout(int sessionTimeout) {
    }

    @Override
    public void close(DisconnectReason reason) {
        setStale();
    }

    @Override
    public int sendResponse(ReplyHeader h, Record r, String tag, String cacheKey, Stat stat, int opCode) {
        return 0;
    }

    @Override
    public void sendCloseSession() {
    }

    @Override
    void sendBuffer(ByteBuffer... buffers) {
    }

    @Override
    void enableRecv() {
    }

    @Override
    void disableRecv(boolean waitDisableRecv) {
    }

    @Override
    protected ServerStats serverStats() {
        return null;
    }

    @Override
    public InetSocketAddress getRemoteSocketAddress() {
        return null;
    }

    @Override
    public int getInterestOps() {
        return 0;
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public Certificate[] getClientCertificateChain() {
        return null;
    }

    @Override
    public void setClientCertificateChain(Certificate[] chain) {
    }
}
