"""Classified sandbox failures: every way a module can fail has one stable `code`.

Codes are part of the public contract (docs/strategy-abi.md): deployments store them,
the API shows them to the module's owner, the author CLI prints them. Never rename one.
"""

from __future__ import annotations

from typing import Any


class SandboxError(Exception):
    code = "sandbox_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class TrapError(SandboxError):
    """The module trapped: unreachable, out-of-bounds access, division by zero, ..."""

    code = "trap"


class StackOverflow(TrapError):
    code = "stack_overflow"


class FuelExhausted(SandboxError):
    """The call used more instructions than its budget (base + per bar x bars)."""

    code = "fuel_exhausted"


class DeadlineExceeded(SandboxError):
    """The call ran past its wall-clock deadline (epoch interruption)."""

    code = "deadline_exceeded"


class MemoryLimit(SandboxError):
    """The module wanted more linear memory than its tier allows."""

    code = "memory_limit"


class TableLimit(SandboxError):
    code = "table_limit"


class BadOutput(SandboxError):
    """An exposure outside [-1, 1], an infinity, or a non-zero status from qt_on_bars."""

    code = "bad_output"


class BadPointer(SandboxError):
    """qt_alloc returned a buffer that is not inside the module's memory (or is misaligned/overlapping)."""

    code = "bad_pointer"


class InitFailed(SandboxError):
    code = "init_failed"


class AbiMismatch(SandboxError):
    """Missing export, wrong signature, or qt_abi_version() != 1."""

    code = "abi_mismatch"


class ModuleTooLarge(SandboxError):
    code = "module_too_large"


class InvalidModule(SandboxError):
    """Not WebAssembly, or rejected by the compiler (unsupported feature, malformed section)."""

    code = "invalid_module"


class ForbiddenImport(SandboxError):
    code = "forbidden_import"


class ManifestInvalid(SandboxError):
    code = "manifest_invalid"


class InvalidParams(SandboxError):
    code = "invalid_params"


class Nondeterministic(SandboxError):
    code = "nondeterministic"


class BatchStreamMismatch(SandboxError):
    code = "batch_stream_mismatch"


class LookAhead(SandboxError):
    code = "look_ahead"


class InstanceFailed(SandboxError):
    """A previous call failed; the instance's state is unknown, so it refuses further calls."""

    code = "instance_failed"
