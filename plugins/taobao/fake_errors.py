"""The fake TOP gateway's error replies and argument checks (spec 2.2; codes the spec does
not pin are TOP's as recalled: 40 missing / 41 invalid arguments)."""

from __future__ import annotations


class TopError(Exception):
    """An error_response the fake answers with."""

    def __init__(self, code: int, msg: str, sub_code: str = "", sub_msg: str = "") -> None:
        super().__init__(f"{code} {msg} {sub_code} {sub_msg}")
        self.body = {"code": code, "msg": msg}
        if sub_code:
            self.body["sub_code"] = sub_code
        if sub_msg:
            self.body["sub_msg"] = sub_msg


def bad_param(name: str, why: str) -> TopError:
    return TopError(41, "Invalid arguments", f"isv.invalid-parameter:{name}", why)


def required(params: dict[str, str], name: str) -> str:
    value = params.get(name, "")
    if not value:
        raise TopError(40, "Missing required arguments", f"isv.missing-parameter:{name}", f"{name} is required")
    return value


def int_param(params: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    """A whole-number argument in low..high; absent → the default."""
    text = params.get(name, "")
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise bad_param(name, f"{name} 取值范围 {low}~{high}")
    return int(text)
