"""Mirrors org.apache.zookeeper.metrics.Gauge: a number sampled from the application on demand.

Java's Gauge is a functional interface; here any zero-argument callable returning a number
(or None for "no value now") is a gauge, and so is an instance of this class.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from numbers import Number
from typing import Union


class Gauge(ABC):
    """Sampled by the provider without any locking: the application keeps it thread safe."""

    __slots__ = ()

    @abstractmethod
    def get(self) -> Number | None:
        """The current value, or None when there is none."""


GaugeLike = Union[Gauge, Callable[[], Union[Number, None]]]
