"""QuorumPeer's state bookkeeping compared with Java's QuorumPeer (JPype):
detailed peer state text, server state names, leader address and id, votes."""

from __future__ import annotations

import itertools

import pytest

from pyzookeeper.common.inet_address import InetSocketAddress
from pyzookeeper.server.quorum.MultipleAddresses import MultipleAddresses
from pyzookeeper.server.quorum.QuorumPeer import QuorumPeer, ServerState, SyncMode, ZabState
from pyzookeeper.server.quorum.QuorumStats import QuorumStats
from pyzookeeper.server.quorum.Vote import Vote


@pytest.mark.java
def test_detailed_and_server_state_texts_match_java(jvm):
    JPeer = jvm.JClass("org.apache.zookeeper.server.quorum.QuorumPeer")
    JServerState = jvm.JClass("org.apache.zookeeper.server.quorum.QuorumPeer$ServerState")
    JZabState = jvm.JClass("org.apache.zookeeper.server.quorum.QuorumPeer$ZabState")
    JSyncMode = jvm.JClass("org.apache.zookeeper.server.quorum.QuorumPeer$SyncMode")
    jpeer = JPeer()
    peer = QuorumPeer()
    for state, zab, sync in itertools.product(ServerState, ZabState, SyncMode):
        jpeer.setPeerState(JServerState.valueOf(state.name))
        jpeer.setZabState(JZabState.valueOf(zab.name))
        jpeer.setSyncMode(JSyncMode.valueOf(sync.name))
        peer.setPeerState(state)
        peer.setZabState(zab)
        peer.setSyncMode(sync)
        assert peer.getDetailedPeerState() == str(jpeer.getDetailedPeerState())
        assert peer.getServerState() == str(jpeer.getServerState())


@pytest.mark.java
def test_leader_address_and_id_match_java(jvm):
    JPeer = jvm.JClass("org.apache.zookeeper.server.quorum.QuorumPeer")
    JMulti = jvm.JClass("org.apache.zookeeper.server.quorum.MultipleAddresses")
    JAddr = jvm.JClass("java.net.InetSocketAddress")
    JServerState = jvm.JClass("org.apache.zookeeper.server.quorum.QuorumPeer$ServerState")
    jpeer = JPeer()
    peer = QuorumPeer()
    jpeer.setLeaderAddressAndId(JMulti(JAddr("127.0.0.1", 2888)), 3)
    peer.setLeaderAddressAndId(MultipleAddresses(InetSocketAddress("127.0.0.1", 2888)), 3)
    assert (peer.getLeaderAddress(), peer.getLeaderId()) == (str(jpeer.getLeaderAddress()), jpeer.getLeaderId())
    jpeer.setPeerState(JServerState.LOOKING)
    peer.setPeerState(ServerState.LOOKING)
    assert jpeer.getLeaderAddress() is None and peer.getLeaderAddress() is None
    assert peer.getLeaderId() == jpeer.getLeaderId() == -1


def test_update_election_vote_keeps_the_vote_and_takes_the_epoch():
    peer = QuorumPeer()
    peer.setCurrentVote(Vote(3, 0x500000002, 7, 5, ServerState.FOLLOWING))
    peer.updateElectionVote(6)
    v = peer.getCurrentVote()
    assert (v.getId(), v.getZxid(), v.getElectionEpoch(), v.getPeerEpoch(), v.getState()) == \
        (3, 0x500000002, 7, 6, ServerState.FOLLOWING)
    assert peer.isLeader(3) and not peer.isLeader(2)


def test_quorum_stats_text():
    class Provider(QuorumStats.Provider):
        state = QuorumStats.Provider.LEADING_STATE
        peers: list[str] = ["127.0.0.1:5001*", "127.0.0.1:5002"]

        def getServerState(self) -> str:
            return self.state

        def getQuorumPeers(self) -> list[str]:
            return self.peers

    provider = Provider()
    stats = QuorumStats(provider)
    assert stats.toString().endswith("Followers: 127.0.0.1:5001* 127.0.0.1:5002\n")
    provider.state = QuorumStats.Provider.FOLLOWING_STATE
    provider.peers = []
    assert stats.toString().endswith("Leader: not connected\n")
    provider.state = QuorumStats.Provider.LOOKING_STATE
    assert "Leader" not in stats.toString() and "Followers" not in stats.toString()
