"""Mirrors org.apache.zookeeper.metrics.GaugeSet: numbers sampled by key from the application.

Java's GaugeSet is a functional interface; here any zero-argument callable returning a mapping
of key to number is a gauge set, and so is an instance of this class.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from numbers import Number
from typing import Union


class GaugeSet(ABC):
    """Sampled by the provider without any locking: the application keeps it thread safe."""

    __slots__ = ()

    @abstractmethod
    def values(self) -> Mapping[str, Number | None]:
        """Every key with its current value."""


GaugeSetLike = Union[GaugeSet, Callable[[], Mapping[str, Union[Number, None]]]]
