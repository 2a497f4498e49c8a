"""The base of repaycli's plain result records: frozen, built from keyword arguments, equal when
their fields are, and cheap to define — the methods are shared, not generated for each class.

``dataclasses`` compiles six methods for every class it builds (about 1 ms each on this machine),
which ``plan`` (some twenty classes) and ``remind`` (run from cron, where start-up is most of the
run) cannot afford; a ``Model`` subclass costs about 30 µs to define. Values are checked where they
enter (parsed options, files read), not here. ``render.json`` writes these records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Self, dataclass_transform


class _Spec:
    """A field's default, as ``Field`` gives it."""

    __slots__ = ("default", "factory")

    def __init__(self, default: Any, factory: Callable[[], Any] | None) -> None:
        self.default = default
        self.factory = factory


_MISSING: Any = object()


def Field(  # noqa: N802 - stands where pydantic's ``Field`` stood
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    **bounds: Any,
) -> Any:
    """A field's default (or ``default_factory``); ``bounds`` (``ge=0``, ``gt=0``…) record the
    range the value was checked against where it entered — they are not checked here."""
    return _Spec(default, default_factory)


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(Field,))
class Model:
    """Base of the result classes: frozen, built from keyword arguments, equal when their fields
    are. Like a frozen keyword-only dataclass, but the methods are shared, not generated for
    each class (``dataclasses`` compiles six methods a class: 1.8 ms each, 40 ms for ``plan``'s
    classes, a third of ``import typer``). ``render.json`` writes them."""

    if TYPE_CHECKING:
        #: The field names in order (bases first), and each optional field's ``_Spec``.
        model_fields_order: ClassVar[tuple[str, ...]]
        _field_set: ClassVar[frozenset[str]]
        _defaults: ClassVar[dict[str, _Spec]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names = list(getattr(cls, "model_fields_order", ()))
        defaults = dict(getattr(cls, "_defaults", {}))
        for name, hint in cls.__dict__.get("__annotations__", {}).items():
            if str(hint).startswith(("ClassVar", "typing.ClassVar")):
                continue
            if name not in names:
                names.append(name)
            if name in cls.__dict__:
                value = cls.__dict__[name]
                spec = value if isinstance(value, _Spec) else _Spec(value, None)
                if spec.default is _MISSING and spec.factory is None:
                    defaults.pop(name, None)
                else:
                    defaults[name] = spec
                delattr(cls, name)
        cls.model_fields_order = tuple(names)
        cls._field_set = frozenset(names)
        cls._defaults = defaults

    def __init__(self, **values: Any) -> None:
        order = self.model_fields_order
        if len(values) != len(order) or not values.keys() <= self._field_set:
            self._complete(values)  # defaults to fill in, or a field unknown or missing
        object.__setattr__(self, "__dict__", {n: values[n] for n in order})

    @classmethod
    def _complete(cls, values: dict[str, Any]) -> None:
        unknown = values.keys() - cls._field_set
        if unknown:
            raise TypeError(f"{cls.__name__}: unexpected field(s) {sorted(unknown)}")
        for name, spec in cls._defaults.items():
            if name not in values:
                values[name] = spec.factory() if spec.factory is not None else spec.default
        if len(values) != len(cls.model_fields_order):
            missing = [n for n in cls.model_fields_order if n not in values]
            raise TypeError(f"{cls.__name__}: missing field(s) {missing}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash(tuple(self.__dict__.values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={v!r}" for n, v in self.__dict__.items())
        return f"{type(self).__name__}({fields})"

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Self:
        """A copy with the fields in ``update`` replaced (as pydantic's ``model_copy``)."""
        return type(self)(**{**self.__dict__, **(update or {})})

    def model_dump(self) -> dict[str, Any]:
        """The fields as a dict, nested results as dicts too (as pydantic's ``model_dump``)."""
        return {name: _dump(value) for name, value in self.__dict__.items()}


def _dump(value: Any) -> Any:
    if isinstance(value, Model):
        return value.model_dump()
    if isinstance(value, list | tuple):
        return type(value)(_dump(v) for v in value)
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value
