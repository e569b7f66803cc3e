"""Mirrors org.apache.zookeeper.server.BlueThrottle: the token-bucket connection
throttle with optional BLUE-style random dropping.

Java reads the ``zookeeper.connection_throttle_*`` properties in a static
initializer, which runs when the class is first used; here they are read when
the first BlueThrottle is made.
"""

from __future__ import annotations

import logging
import math
import random
import threading

from pyzookeeper import system_properties
from pyzookeeper.common import Time

LOG = logging.getLogger(__name__)


def _getDoubleProp(name: str, default: float) -> float:
    val = system_properties.getProperty(name)
    return float(val) if val is not None else default


class BlueThrottle:
    CONNECTION_THROTTLE_TOKENS = "zookeeper.connection_throttle_tokens"
    CONNECTION_THROTTLE_FILL_TIME = "zookeeper.connection_throttle_fill_time"
    CONNECTION_THROTTLE_FILL_COUNT = "zookeeper.connection_throttle_fill_count"
    CONNECTION_THROTTLE_FREEZE_TIME = "zookeeper.connection_throttle_freeze_time"
    CONNECTION_THROTTLE_DROP_INCREASE = "zookeeper.connection_throttle_drop_increase"
    CONNECTION_THROTTLE_DROP_DECREASE = "zookeeper.connection_throttle_drop_decrease"
    CONNECTION_THROTTLE_DECREASE_RATIO = "zookeeper.connection_throttle_decrease_ratio"
    WEIGHED_CONNECTION_THROTTLE = "zookeeper.connection_throttle_weight_enabled"
    GLOBAL_SESSION_WEIGHT = "zookeeper.connection_throttle_global_session_weight"
    LOCAL_SESSION_WEIGHT = "zookeeper.connection_throttle_local_session_weight"
    RENEW_SESSION_WEIGHT = "zookeeper.connection_throttle_renew_session_weight"

    _initialized = False
    _initLock = threading.Lock()
    connectionWeightEnabled = False
    DEFAULT_CONNECTION_THROTTLE_TOKENS = 0
    DEFAULT_CONNECTION_THROTTLE_FILL_TIME = 1
    DEFAULT_CONNECTION_THROTTLE_FILL_COUNT = 1
    DEFAULT_CONNECTION_THROTTLE_FREEZE_TIME = -1
    DEFAULT_CONNECTION_THROTTLE_DROP_INCREASE = 0.02
    DEFAULT_CONNECTION_THROTTLE_DROP_DECREASE = 0.002
    DEFAULT_CONNECTION_THROTTLE_DECREASE_RATIO = 0.0
    DEFAULT_GLOBAL_SESSION_WEIGHT = 3
    DEFAULT_LOCAL_SESSION_WEIGHT = 1
    DEFAULT_RENEW_SESSION_WEIGHT = 2

    @classmethod
    def _staticInit(cls) -> None:
        with cls._initLock:
            if cls._initialized:
                return
            getInteger = system_properties.getInteger
            tokens = getInteger(cls.CONNECTION_THROTTLE_TOKENS, 0)
            fillCount = getInteger(cls.CONNECTION_THROTTLE_FILL_COUNT, 1)
            cls.connectionWeightEnabled = system_properties.getBoolean(cls.WEIGHED_CONNECTION_THROTTLE)
            globalWeight = getInteger(cls.GLOBAL_SESSION_WEIGHT, 3)
            localWeight = getInteger(cls.LOCAL_SESSION_WEIGHT, 1)
            renewWeight = getInteger(cls.RENEW_SESSION_WEIGHT, 2)

            if globalWeight <= 0:
                LOG.warning("Invalid global session weight %s. It should be larger than 0", globalWeight)
                cls.DEFAULT_GLOBAL_SESSION_WEIGHT = 3
            elif globalWeight < localWeight:
                LOG.warning("The global session weight %s is less than the local session weight %s. "
                            "Use the local session weight.", globalWeight, localWeight)
                cls.DEFAULT_GLOBAL_SESSION_WEIGHT = localWeight
            else:
                cls.DEFAULT_GLOBAL_SESSION_WEIGHT = globalWeight

            if localWeight <= 0:
                LOG.warning("Invalid local session weight %s. It should be larger than 0", localWeight)
                cls.DEFAULT_LOCAL_SESSION_WEIGHT = 1
            else:
                cls.DEFAULT_LOCAL_SESSION_WEIGHT = localWeight

            if renewWeight <= 0:
                LOG.warning("Invalid renew session weight %s. It should be larger than 0", renewWeight)
                cls.DEFAULT_RENEW_SESSION_WEIGHT = 2
            elif renewWeight < localWeight:
                LOG.warning("The renew session weight %s is less than the local session weight %s. "
                            "Use the local session weight.", renewWeight, localWeight)
                cls.DEFAULT_RENEW_SESSION_WEIGHT = localWeight
            else:
                cls.DEFAULT_RENEW_SESSION_WEIGHT = renewWeight

            weight = cls.DEFAULT_GLOBAL_SESSION_WEIGHT if cls.connectionWeightEnabled else 1
            cls.DEFAULT_CONNECTION_THROTTLE_TOKENS = weight * tokens
            cls.DEFAULT_CONNECTION_THROTTLE_FILL_TIME = getInteger(cls.CONNECTION_THROTTLE_FILL_TIME, 1)
            cls.DEFAULT_CONNECTION_THROTTLE_FILL_COUNT = weight * fillCount
            cls.DEFAULT_CONNECTION_THROTTLE_FREEZE_TIME = getInteger(cls.CONNECTION_THROTTLE_FREEZE_TIME, -1)
            cls.DEFAULT_CONNECTION_THROTTLE_DROP_INCREASE = _getDoubleProp(
                cls.CONNECTION_THROTTLE_DROP_INCREASE, 0.02)
            cls.DEFAULT_CONNECTION_THROTTLE_DROP_DECREASE = _getDoubleProp(
                cls.CONNECTION_THROTTLE_DROP_DECREASE, 0.002)
            cls.DEFAULT_CONNECTION_THROTTLE_DECREASE_RATIO = _getDoubleProp(
                cls.CONNECTION_THROTTLE_DECREASE_RATIO, 0)
            cls._logWeighedThrottlingSetting()
            cls._initialized = True

    @classmethod
    def setConnectionWeightEnabled(cls, enabled: bool) -> None:
        """For tests, as in Java."""
        cls._staticInit()
        cls.connectionWeightEnabled = enabled
        cls._logWeighedThrottlingSetting()

    @classmethod
    def _logWeighedThrottlingSetting(cls) -> None:
        if cls.connectionWeightEnabled:
            LOG.info("Weighed connection throttling is enabled. "
                     "But it will only be effective if connection throttling is enabled")
            LOG.info("The weights for different session types are: global %s renew %s local %s",
                     cls.DEFAULT_GLOBAL_SESSION_WEIGHT, cls.DEFAULT_RENEW_SESSION_WEIGHT,
                     cls.DEFAULT_LOCAL_SESSION_WEIGHT)
        else:
            LOG.info("Weighed connection throttling is disabled")

    def __init__(self) -> None:
        BlueThrottle._staticInit()
        self._lock = threading.RLock()
        self.maxTokens = BlueThrottle.DEFAULT_CONNECTION_THROTTLE_TOKENS
        self.fillTime = BlueThrottle.DEFAULT_CONNECTION_THROTTLE_FILL_TIME
        self.fillCount = BlueThrottle.DEFAULT_CONNECTION_THROTTLE_FILL_COUNT
        self.tokens = self.maxTokens
        self.lastTime = Time.currentElapsedTime()
        self.freezeTime = BlueThrottle.DEFAULT_CONNECTION_THROTTLE_FREEZE_TIME
        self.lastFreeze = Time.currentElapsedTime()
        self.dropIncrease = BlueThrottle.DEFAULT_CONNECTION_THROTTLE_DROP_INCREASE
        self.dropDecrease = BlueThrottle.DEFAULT_CONNECTION_THROTTLE_DROP_DECREASE
        self.decreasePoint = BlueThrottle.DEFAULT_CONNECTION_THROTTLE_DECREASE_RATIO
        self.drop = 0.0
        self.rng = random.Random()

    def setMaxTokens(self, max: int) -> None:
        with self._lock:
            deficit = self.maxTokens - self.tokens
            self.maxTokens = max
            self.tokens = max - deficit

    def setFillTime(self, time: int) -> None:
        with self._lock:
            self.fillTime = time

    def setFillCount(self, count: int) -> None:
        with self._lock:
            self.fillCount = count

    def setFreezeTime(self, time: int) -> None:
        with self._lock:
            self.freezeTime = time

    def setDropIncrease(self, increase: float) -> None:
        with self._lock:
            self.dropIncrease = increase

    def setDropDecrease(self, decrease: float) -> None:
        with self._lock:
            self.dropDecrease = decrease

    def setDecreasePoint(self, ratio: float) -> None:
        with self._lock:
            self.decreasePoint = ratio

    def getMaxTokens(self) -> int:
        return self.maxTokens

    def getFillTime(self) -> int:
        return self.fillTime

    def getFillCount(self) -> int:
        return self.fillCount

    def getFreezeTime(self) -> int:
        return self.freezeTime

    def getDropIncrease(self) -> float:
        return self.dropIncrease

    def getDropDecrease(self) -> float:
        return self.dropDecrease

    def getDecreasePoint(self) -> float:
        return self.decreasePoint

    def getDropChance(self) -> float:
        return self.drop

    def getDeficit(self) -> int:
        with self._lock:
            return self.maxTokens - self.tokens

    def getRequiredTokensForGlobal(self) -> int:
        return BlueThrottle.DEFAULT_GLOBAL_SESSION_WEIGHT

    def getRequiredTokensForLocal(self) -> int:
        return BlueThrottle.DEFAULT_LOCAL_SESSION_WEIGHT

    def getRequiredTokensForRenew(self) -> int:
        return BlueThrottle.DEFAULT_RENEW_SESSION_WEIGHT

    def isConnectionWeightEnabled(self) -> bool:
        return BlueThrottle.connectionWeightEnabled

    def checkLimit(self, need: int) -> bool:
        with self._lock:
            if self.maxTokens == 0:
                return True
            now = Time.currentElapsedTime()
            diff = now - self.lastTime
            if diff > self.fillTime:
                refill = _javaLongDiv(diff * self.fillCount, self.fillTime)
                tokens = _toJavaInt(min(self.tokens + refill, self.maxTokens))
                if tokens < 0:
                    tokens = self.maxTokens
                    LOG.error("Throttle config values %s(%s) and %s(%s) are insane and cause long integer "
                              "overflow after %sms", BlueThrottle.CONNECTION_THROTTLE_FILL_TIME, self.fillTime,
                              BlueThrottle.CONNECTION_THROTTLE_FILL_COUNT, self.fillCount, diff)
                self.tokens = tokens
                self.lastTime = now
            if self.freezeTime != -1 and not self.checkBlue(now):
                return False
            if self.tokens < need:
                return False
            self.tokens -= need
            return True

    def checkBlue(self, now: int) -> bool:
        with self._lock:
            length = self.maxTokens - self.tokens
            limit = self.maxTokens
            diff = now - self.lastFreeze
            threshold = _javaRound(self.maxTokens * self.decreasePoint)
            if diff > self.freezeTime:
                if length == limit and self.drop < 1:
                    self.drop = min(self.drop + self.dropIncrease, 1.0)
                elif length <= threshold and self.drop > 0:
                    self.drop = max(self.drop - self.dropDecrease, 0.0)
                self.lastFreeze = now
            return not (self.rng.random() < self.drop)


def _toJavaInt(value: int) -> int:
    """Java's ``(int)`` narrowing of a long."""
    value &= 0xFFFFFFFF
    return value - 0x100000000 if value >= 0x80000000 else value


def _javaLongDiv(a: int, b: int) -> int:
    """Java's long division (truncates toward zero) with 64-bit wrap of the product."""
    a &= 0xFFFFFFFFFFFFFFFF
    if a >= 0x8000000000000000:
        a -= 0x10000000000000000
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _javaRound(x: float) -> int:
    """``Math.round``: floor(x + 0.5)."""
    return math.floor(x + 0.5)
