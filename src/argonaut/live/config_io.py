"""Load, validate and dump a `LiveNodeConfig` (TOML or JSON).

Loading walks the document field by field instead of stopping at the first problem, so
one `ConfigError` lists every unknown field, wrong type and bad value, each on its own
line with its path (``exec_engine.inflight_check_interval_ms: must be >= 0, found -5``).
`validate` adds the checks that need the outside world: client kinds are known, actor,
strategy and algorithm classes import and their configs convert, password variables
are set.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import importlib
import json
import os
import re
import tomllib
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import msgspec

from argonaut.common.errors import ConfigError
from argonaut.live.config import (
    SECRET_MASK,
    ClientConfig,
    DatabaseConfig,
    ImportableConfig,
    LiveNodeConfig,
)
from argonaut.live.config_exec import FieldErrors
from argonaut.model.enums import Environment

DEFAULT_CLIENT_KINDS: frozenset[str] = frozenset({"sandbox"})
"""Client kinds known without a registry: the sandbox venue."""


class _Failed:
    pass


_FAILED = _Failed()
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if not _BARE_KEY.match(key):
        return f"{path}[{key!r}]"
    return f"{path}.{key}" if path else key


def _dollar(path: str) -> str:
    return "$" if not path else f"$.{path}" if not path.startswith("[") else f"${path}"


def _struct_type(tp: Any) -> tuple[type[msgspec.Struct] | None, bool]:
    """Return (the struct type in `tp`, whether None is allowed) for `S` or `S | None`."""
    args = typing.get_args(tp) if typing.get_origin(tp) in (types.UnionType, typing.Union) else ()
    optional = type(None) in args
    candidates = [a for a in args if a is not type(None)] if args else [tp]
    if (
        len(candidates) == 1
        and isinstance(candidates[0], type)
        and issubclass(candidates[0], msgspec.Struct)
    ):
        return candidates[0], optional
    return None, optional


def _choices(tp: Any) -> list[str] | None:
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return [str(m.value) for m in tp if m is not Environment.BACKTEST]
    if typing.get_origin(tp) is typing.Literal:
        return [str(a) for a in typing.get_args(tp)]
    return None


def translate_validation_error(error: msgspec.ValidationError, path: str, tp: Any = None) -> str:
    """Turn a msgspec error into ``path: message`` (or ``unknown field `x` at `$.path```)."""
    text = str(error)
    match = re.match(r"^(.*) - at `\$(.*)`$", text, re.DOTALL)
    if match:
        text, sub = match.group(1), match.group(2)
        path = f"{path}{sub}" if path or sub.startswith("[") else sub.lstrip(".")
        tp = None
    unknown = re.match(r"^Object contains unknown field `(.*)`$", text)
    if unknown:
        return f"unknown field `{unknown.group(1)}` at `{_dollar(path)}`"
    missing = re.match(r"^Object missing required field `(.*)`$", text)
    if missing:
        return f"{_at(path, missing.group(1))}: missing required field"
    choices = _choices(tp) if text.startswith("Invalid enum value") else None
    if choices is not None:
        found = text.removeprefix("Invalid enum value ").strip()
        return f"{path or '$'}: expected one of {', '.join(map(repr, choices))}, found {found}"
    return f"{path or '$'}: {text[:1].lower()}{text[1:]}"


def _build(tp: Any, value: Any, path: str, errors: list[str]) -> Any:
    struct_type, optional = _struct_type(tp)
    if struct_type is not None:
        if value is None and optional:
            return None
        if not isinstance(value, dict):
            errors.append(f"{path}: expected a table, found {type(value).__name__} {value!r}")
            return _FAILED
        return _build_struct(struct_type, value, path, errors)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list and isinstance(value, list) and _struct_type(args[0])[0] is not None:
        items = [_build(args[0], v, _at(path, i), errors) for i, v in enumerate(value)]
        return _FAILED if any(v is _FAILED for v in items) else items
    if origin is dict and isinstance(value, dict) and _struct_type(args[1])[0] is not None:
        built = {k: _build(args[1], v, _at(path, str(k)), errors) for k, v in value.items()}
        return _FAILED if any(v is _FAILED for v in built.values()) else built
    try:
        return msgspec.convert(value, tp)
    except msgspec.ValidationError as e:
        errors.append(translate_validation_error(e, path, tp))
        return _FAILED


def _check_unknown(
    fields: Mapping[str, Any], data: dict[str, Any], path: str, errors: list[str]
) -> None:
    for key in data:
        if key not in fields:
            hint = difflib.get_close_matches(str(key), list(fields), n=1)
            suggestion = f" (did you mean `{hint[0]}`?)" if hint else ""
            errors.append(f"unknown field `{key}` at `{_dollar(path)}`{suggestion}")


def _build_struct(
    cls: type[msgspec.Struct], data: dict[str, Any], path: str, errors: list[str]
) -> Any:
    fields = {f.name: f for f in msgspec.structs.fields(cls)}
    _check_unknown(fields, data, path, errors)
    kwargs = _build_fields(cls, fields, data, path, errors)
    return _FAILED if kwargs is None else _construct(cls, kwargs, path, errors)


def _build_fields(
    cls: type[msgspec.Struct],
    fields: dict[str, msgspec.structs.FieldInfo],
    data: dict[str, Any],
    path: str,
    errors: list[str],
) -> dict[str, Any] | None:
    kwargs: dict[str, Any] = {}
    complete = True
    for name, field in fields.items():
        if name in data:
            value = _build(field.type, data[name], _at(path, name), errors)
            if value is not _FAILED:
                kwargs[name] = value
            elif field.required:
                complete = False
        elif field.required:
            errors.append(f"{_at(path, name)}: missing required field")
            complete = False
    return kwargs if complete else None


def _construct(
    cls: type[msgspec.Struct], kwargs: dict[str, Any], path: str, errors: list[str]
) -> Any:
    try:
        return cls(**kwargs)
    except FieldErrors as e:
        errors.extend(
            f"{path}.{field}: {message}" if path else f"{field}: {message}"
            for field, message in e.errors
        )
    except (TypeError, ValueError) as e:
        errors.append(f"{path or '$'}: {e}")
    return _FAILED


def import_object(path: str) -> Any:
    """Import ``package.module:Name`` (``Name`` may be dotted) and return the object.

    Raise `ConfigError` saying whether the module or the attribute is missing.
    """
    module_name, sep, attr = path.partition(":")
    if not sep or not module_name or not attr:
        raise ConfigError(f"expected an import path 'package.module:ClassName', found {path!r}")
    try:
        obj: Any = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        raise ConfigError(f"cannot import module `{module_name}` ({e})") from e
    except Exception as e:
        raise ConfigError(
            f"importing module `{module_name}` failed: {type(e).__name__}: {e}"
        ) from e
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise ConfigError(f"module `{module_name}` has no attribute `{attr}`")
        obj = getattr(obj, part)
    return obj


def import_class(path: str) -> type[Any]:
    """Import ``package.module:ClassName`` and check it is a class."""
    obj = import_object(path)
    if not isinstance(obj, type):
        raise ConfigError(f"`{path}` is a {type(obj).__name__}, expected a class")
    return obj


def component_config_type(cls: type[Any], config_path: str | None = None) -> type[Any] | None:
    """Return the config type of `cls`: `config_path`, else its `config_class` attribute,
    else the annotation of its ``__init__`` parameter ``config`` (None if it has none)."""
    if config_path is not None:
        return import_class(config_path)
    declared = getattr(cls, "config_class", None)
    if isinstance(declared, type):
        return declared
    try:
        hint = typing.get_type_hints(cls.__init__).get("config")
    except Exception:
        return None
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        rest = [a for a in typing.get_args(hint) if a is not type(None)]
        hint = rest[0] if len(rest) == 1 else None
    if isinstance(hint, type) and hint not in (object, dict):
        return hint
    return None


def resolve_component(config: ImportableConfig, path: str = "") -> tuple[type[Any], Any]:
    """Import the class of `config` and convert its `config` dict into the class's config
    type; return ``(class, config)`` (the dict itself if the class declares no type)."""
    cls = import_class(config.path)
    config_type = component_config_type(cls, config.config_path)
    if config_type is None:
        return cls, dict(config.config)
    try:
        return cls, msgspec.convert(config.config, config_type)
    except msgspec.ValidationError as e:
        raise ConfigError(translate_validation_error(e, _at(path, "config"))) from e
    except TypeError as e:
        raise ConfigError(
            f"{_at(path, 'config')}: {config_type.__name__} cannot be built by msgspec: {e}"
        ) from e


def _check_importable(config: ImportableConfig, path: str, errors: list[str]) -> None:
    try:
        resolve_component(config, path)
    except ConfigError as e:
        message = str(e)
        unprefixed = not message.startswith((path, "unknown field"))
        errors.append(f"{_at(path, 'path')}: {message}" if unprefixed else message)


def _check_client(
    client: ClientConfig, path: str, kinds: frozenset[str], errors: list[str]
) -> None:
    if client.kind is not None and client.kind not in kinds:
        known = ", ".join(repr(k) for k in sorted(kinds)) or "none registered"
        errors.append(
            f"{_at(path, 'kind')}: unknown client kind {client.kind!r}: expected one of {known}"
        )
    if client.factory_path is not None:
        try:
            factory = import_object(client.factory_path)
        except ConfigError as e:
            errors.append(f"{_at(path, 'factory_path')}: {e}")
        else:
            if not callable(factory):
                errors.append(
                    f"{_at(path, 'factory_path')}: `{client.factory_path}` is not callable"
                )


def _check_database(
    db: DatabaseConfig | None, path: str, environ: Mapping[str, str], errors: list[str]
) -> None:
    if db is not None and db.password_env is not None and db.password_env not in environ:
        errors.append(
            f"{_at(path, 'password_env')}: environment variable `{db.password_env}` is not set"
        )


def validation_errors(
    config: LiveNodeConfig,
    *,
    client_kinds: Iterable[str] = DEFAULT_CLIENT_KINDS,
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """Return every problem with `config` that needs the outside world (empty if none)."""
    fields = {name: getattr(config, name) for name in config.__struct_fields__}
    return _external_errors(fields, frozenset(client_kinds), environ)


def _external_errors(
    fields: Mapping[str, Any], kinds: frozenset[str], environ: Mapping[str, str] | None
) -> list[str]:
    errors: list[str] = []
    for field in ("data_clients", "exec_clients"):
        for name, client in fields.get(field, {}).items():
            _check_client(client, _at(field, name), kinds, errors)
    for field in ("actors", "strategies", "exec_algorithms"):
        for i, component in enumerate(fields.get(field, [])):
            _check_importable(component, _at(field, i), errors)
    if fields.get("controller") is not None:
        _check_importable(fields["controller"], "controller", errors)
    env = os.environ if environ is None else environ
    _check_database(fields.get("database"), "database", env, errors)
    if fields.get("message_bus") is not None:
        _check_database(fields["message_bus"].database, "message_bus.database", env, errors)
    return errors


def _raise(errors: list[str], source: str) -> None:
    if errors:
        count = f"{len(errors)} problem{'s' if len(errors) > 1 else ''}"
        where = f" {source}" if source else ""
        raise ConfigError(f"invalid node config{where}: {count}\n" + "\n".join(errors))


def validate(
    config: LiveNodeConfig,
    *,
    client_kinds: Iterable[str] = DEFAULT_CLIENT_KINDS,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Raise one `ConfigError` listing every problem `validation_errors` finds."""
    _raise(validation_errors(config, client_kinds=client_kinds, environ=environ), "")


def config_errors(
    data: Any,
    *,
    client_kinds: Iterable[str] = DEFAULT_CLIENT_KINDS,
    environ: Mapping[str, str] | None = None,
) -> tuple[LiveNodeConfig | None, list[str]]:
    """Build a config from decoded `data`; return it (None if unbuildable) and every error."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return None, [f"$: expected a table of node options, found {type(data).__name__}"]
    fields = {f.name: f for f in msgspec.structs.fields(LiveNodeConfig)}
    _check_unknown(fields, data, "", errors)
    kwargs = _build_fields(LiveNodeConfig, fields, data, "", errors)
    assert kwargs is not None  # LiveNodeConfig has no required field
    config = _construct(LiveNodeConfig, kwargs, "", errors)
    errors += _external_errors(kwargs, frozenset(client_kinds), environ)
    if errors or not isinstance(config, LiveNodeConfig):
        return None, errors
    return config, errors


def config_from_dict(
    data: Any,
    *,
    client_kinds: Iterable[str] = DEFAULT_CLIENT_KINDS,
    environ: Mapping[str, str] | None = None,
) -> LiveNodeConfig:
    """Build and validate a config from decoded TOML/JSON; raise one `ConfigError`."""
    config, errors = config_errors(data, client_kinds=client_kinds, environ=environ)
    _raise(errors, "")
    assert config is not None
    return config


def read_config_file(path: str | Path) -> Any:
    """Decode a ``.toml`` or ``.json`` file into builtins; raise `ConfigError` if unreadable."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise ConfigError(f"config file {file} must end in .toml or .json, found {suffix!r}")
    try:
        raw = file.read_bytes()
    except OSError as e:
        raise ConfigError(f"cannot read config file {file}: {e.strerror or e}") from e
    try:
        if suffix == ".toml":
            return tomllib.loads(raw.decode("utf-8"))
        return msgspec.json.decode(raw)
    except (tomllib.TOMLDecodeError, msgspec.DecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"config file {file} is not valid {suffix[1:].upper()}: {e}") from e


def check_file(
    path: str | Path,
    *,
    client_kinds: Iterable[str] = DEFAULT_CLIENT_KINDS,
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """Return every problem with the config file at `path` (empty if it is valid)."""
    try:
        data = read_config_file(path)
    except ConfigError as e:
        return [str(e)]
    return config_errors(data, client_kinds=client_kinds, environ=environ)[1]


def load_config(
    path: str | Path,
    *,
    client_kinds: Iterable[str] = DEFAULT_CLIENT_KINDS,
    environ: Mapping[str, str] | None = None,
) -> LiveNodeConfig:
    """Load and validate a node config from a ``.toml`` or ``.json`` file."""
    config, errors = config_errors(
        read_config_file(path), client_kinds=client_kinds, environ=environ
    )
    _raise(errors, f"in {path}")
    assert config is not None
    return config


def config_to_dict(config: LiveNodeConfig, *, reveal_secrets: bool = False) -> dict[str, Any]:
    """Return `config` as builtins (enums as names); passwords masked unless revealed."""
    data: dict[str, Any] = msgspec.to_builtins(config)
    return data if reveal_secrets else mask_secrets(data)


def dump_json(config: LiveNodeConfig, *, reveal_secrets: bool = False) -> str:
    """Return `config` as indented JSON; passwords masked unless revealed."""
    raw = msgspec.json.encode(config_to_dict(config, reveal_secrets=reveal_secrets))
    return msgspec.json.format(raw, indent=2).decode("utf-8") + "\n"


def dump_toml(config: LiveNodeConfig, *, reveal_secrets: bool = False) -> str:
    """Return `config` as TOML (None values omitted); passwords masked unless revealed."""
    lines = ["# Argonaut live node configuration"]
    _emit_table(lines, (), config_to_dict(config, reveal_secrets=reveal_secrets), None)
    return "\n".join(lines) + "\n"


_SECRET_KEY = re.compile(r"password|secret", re.IGNORECASE)


def mask_secrets(value: Any) -> Any:
    """Return `value` with every non-empty string under a password/secret key masked."""
    if isinstance(value, dict):
        return {
            k: SECRET_MASK
            if isinstance(k, str)
            and _SECRET_KEY.search(k)
            and not k.endswith("_env")
            and isinstance(v, str)
            and v
            else mask_secrets(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [mask_secrets(v) for v in value]
    return value


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_str(key)


def _toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _toml_value(value: Any, path: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _toml_str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v, f"{path}[]") for v in value) + "]"
    if isinstance(value, dict):
        items = (
            f"{_toml_key(k)} = {_toml_value(v, path)}" for k, v in value.items() if v is not None
        )
        return "{ " + ", ".join(items) + " }" if value else "{}"
    if value is None:
        raise ValueError(f"{path}: TOML has no null, cannot write None inside a list")
    raise TypeError(f"{path}: cannot write {type(value).__name__} {value!r} as TOML")


def _emit_table(
    lines: list[str], path: tuple[str, ...], table: dict[str, Any], header: str | None
) -> None:
    scalars = any(
        v is not None and not ((isinstance(v, dict) and v) or _is_table_array(v))
        for v in table.values()
    )
    if header is not None and (scalars or header.startswith("[[") or not table):
        if lines:
            lines.append("")
        lines.append(header)
    dotted = ".".join(_toml_key(p) for p in path)
    nested: list[tuple[str, Any]] = []
    for key, value in table.items():
        if value is None:
            continue
        if (isinstance(value, dict) and value) or _is_table_array(value):
            nested.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value, dotted or key)}")
    for key, value in nested:
        sub = (*path, key)
        name = ".".join(_toml_key(p) for p in sub)
        if isinstance(value, dict):
            _emit_table(lines, sub, value, f"[{name}]")
        else:
            for item in value:
                _emit_table(lines, sub, item, f"[[{name}]]")
