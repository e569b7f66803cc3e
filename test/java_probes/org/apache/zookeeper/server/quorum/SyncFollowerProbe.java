package org.apache.zookeeper.server.quorum;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.Socket;
import java.net.SocketAddress;
import java.security.MessageDigest;
import org.apache.zookeeper.server.Request;
import org.apache.zookeeper.server.ZKDatabase;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.apache.zookeeper.server.quorum.auth.QuorumAuthServer;

/**
 * Test probe: loads a data directory into a ZKDatabase and prints, for each
 * learner zxid given, what LearnerHandler.syncFollower decides and queues.
 * Usage: SyncFollowerProbe dataDir lastProposedHex [forceSnap] peerZxidHex...
 * One line per peer zxid: "peer snap|diff fwd=<hex> TYPE:zxid:sha1(data)|- ..."
 */
public class SyncFollowerProbe extends LearnerMaster {

    private final ZKDatabase db;
    private final long lastProposed;
    private long forwardedFrom = Long.MIN_VALUE;

    SyncFollowerProbe(ZKDatabase db, long lastProposed) {
        this.db = db;
        this.lastProposed = lastProposed;
    }

    public static void main(String[] args) throws Exception {
        File dir = new File(args[0]);
        long lastProposed = Long.parseUnsignedLong(args[1], 16);
        ZKDatabase db = new ZKDatabase(new FileTxnSnapLog(dir, dir));
        db.loadDataBase();
        for (int i = 2; i < args.length; i++) {
            long peer = Long.parseUnsignedLong(args[i], 16);
            SyncFollowerProbe master = new SyncFollowerProbe(db, lastProposed);
            LearnerHandler handler = new LearnerHandler(new Socket(),
                new BufferedInputStream(new ByteArrayInputStream(new byte[0])), master);
            boolean needSnap = handler.syncFollower(peer, master);
            StringBuilder line = new StringBuilder(Long.toHexString(peer));
            line.append(needSnap ? " snap" : " diff");
            line.append(" fwd=").append(Long.toHexString(master.forwardedFrom));
            for (QuorumPacket p : handler.getQueuedPackets()) {
                if (p.getClass() != QuorumPacket.class) {
                    continue;
                }
                line.append(' ').append(Leader.getPacketType(p.getType()));
                line.append(':').append(Long.toHexString(p.getZxid())).append(':');
                line.append(p.getData() == null ? "-" : sha1(p.getData()));
            }
            System.out.println(line);
        }
    }

    private static String sha1(byte[] data) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-1").digest(data)) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    @Override
    ZKDatabase getZKDatabase() {
        return db;
    }

    @Override
    long startForwarding(LearnerHandler learnerHandler, long lastSeenZxid) {
        forwardedFrom = lastSeenZxid;
        return lastProposed;
    }

    @Override
    QuorumAuthServer getQuorumAuthServer() {
        return null;
    }

    @Override
    void addLearnerHandler(LearnerHandler learnerHandler) {
        throw new UnsupportedOperationException();
    }

    @Override
    void removeLearnerHandler(LearnerHandler learnerHandler) {
        throw new UnsupportedOperationException();
    }

    @Override
    void waitForEpochAck(long sid, StateSummary ss) {
        throw new UnsupportedOperationException();
    }

    @Override
    void waitForStartup() {
        throw new UnsupportedOperationException();
    }

    @Override
    long getEpochToPropose(long sid, long lastAcceptedEpoch) {
        throw new UnsupportedOperationException();
    }

    @Override
    void waitForNewLeaderAck(long sid, long zxid) {
        throw new UnsupportedOperationException();
    }

    @Override
    long getLastProposed() {
        return lastProposed;
    }

    @Override
    int getCurrentTick() {
        return 0;
    }

    @Override
    int syncTimeout() {
        return 0;
    }

    @Override
    int getTickOfNextAckDeadline() {
        return 0;
    }

    @Override
    int getTickOfInitialAckDeadline() {
        return 0;
    }

    @Override
    long getAndDecrementFollowerCounter() {
        throw new UnsupportedOperationException();
    }

    @Override
    void processAck(long sid, long zxid, SocketAddress localSocketAddress) {
        throw new UnsupportedOperationException();
    }

    @Override
    void touch(long sess, int to) {
        throw new UnsupportedOperationException();
    }

    @Override
    void revalidateSession(QuorumPacket qp, LearnerHandler learnerHandler) {
        throw new UnsupportedOperationException();
    }

    @Override
    void submitLearnerRequest(Request si) {
        throw new UnsupportedOperationException();
    }

    @Override
    long getQuorumVerifierVersion() {
        return 0;
    }

    @Override
    String getPeerInfo(long sid) {
        return "";
    }

    @Override
    byte[] getQuorumVerifierBytes() {
        return new byte[0];
    }

    @Override
    void registerLearnerHandlerBean(LearnerHandler learnerHandler, Socket socket) {
    }

    @Override
    void unregisterLearnerHandlerBean(LearnerHandler learnerHandler) {
    }
}
