"""The escaper functions html/template appends to actions (Go ``html.go``, ``url.go``,
``js.go``, ``css.go``), with the content types that let typed values (``JS``) through.
"""

from __future__ import annotations

import re

from tickmini.gocompat.gofmt import sprint
from tickmini.gocompat.jsonenc import JSONEncodeError, encode
from tickmini.gocompat.numbers import UnsupportedFloatError
from tickmini.gocompat.template.funcs import GoFunc, eval_args
from tickmini.gocompat.template.htmlcontext import attr_type, is_js_ident_part
from tickmini.values import Duration


class JSContent(str):
    """A string of Go type ``html/template.JS`` (what Kapacitor's ``json`` returns)."""

    __slots__ = ()


FILTER_FAILSAFE = "ZgotmplZ"

# --- escaper functions -------------------------------------------------------------------


def _stringify(args: tuple[object, ...]) -> tuple[str, str]:
    """html/template ``stringify``: (text, content type); untyped nil arguments are skipped."""
    if len(args) == 1:
        only = args[0]
        if isinstance(only, JSContent):
            return str(only), "js"
        if isinstance(only, str):
            return only, "plain"
    return sprint(*(a for a in args if a is not None)), "plain"


_HTML_RE = re.compile("[\x00\"&'+<>]")
_NOSPACE_TABLE = {
    "\x00": "&#xfffd;",
    "\t": "&#9;",
    "\n": "&#10;",
    "\v": "&#11;",
    "\f": "&#12;",
    "\r": "&#13;",
    " ": "&#32;",
    '"': "&#34;",
    "&": "&amp;",
    "'": "&#39;",
    "+": "&#43;",
    "<": "&lt;",
    "=": "&#61;",
    ">": "&gt;",
    "`": "&#96;",
}
_NOSPACE_RE = re.compile("[\x00\t\n\v\f\r \"&'+<=>`\ufdd0-\ufdef\ufff0-\uffff]")


def _html_replace(text: str) -> str:
    if _HTML_RE.search(text) is None:
        return text
    return (
        text.replace("&", "&amp;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
        .replace("+", "&#43;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\x00", "\ufffd")
    )


def html_escaper(*args: object) -> str:
    return _html_replace(_stringify(args)[0])


def nospace_escaper(*args: object) -> str:
    text = _stringify(args)[0]
    return _NOSPACE_RE.sub(
        lambda m: _NOSPACE_TABLE.get(m.group()) or f"&#x{ord(m.group()):x};", text
    )


def url_filter(*args: object) -> str:
    text = _stringify(args)[0]
    protocol, colon, _ = text.partition(":")
    if colon and "/" not in protocol and protocol.lower() not in ("http", "https", "mailto"):
        return "#" + FILTER_FAILSAFE
    return text


_URL_RESERVED = "!#$&*+,/:;=?@[]"
_URL_UNRESERVED = "-._~"


def _process_url(text: str, norm: bool) -> str:
    data = text.encode("utf-8", "surrogateescape")
    out: list[str] = []
    for index, byte in enumerate(data):
        ch = chr(byte)
        if (
            (byte < 0x80 and (ch.isalnum() or ch in _URL_UNRESERVED))
            or (norm and ch in _URL_RESERVED)
            or (
                norm
                and ch == "%"
                and index + 2 < len(data)
                and chr(data[index + 1]) in "0123456789abcdefABCDEF"
                and chr(data[index + 2]) in "0123456789abcdefABCDEF"
            )
        ):
            out.append(ch)
        else:
            out.append(f"%{byte:02x}")
    return "".join(out)


def url_normalizer(*args: object) -> str:
    return _process_url(_stringify(args)[0], True)


def url_escaper(*args: object) -> str:
    return _process_url(_stringify(args)[0], False)


def srcset_escaper(*args: object) -> str:
    return url_normalizer(*args)


_JS_STR_TABLE = {
    "\x00": "\\u0000",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\u000b",
    "\f": "\\f",
    "\r": "\\r",
    '"': "\\u0022",
    "&": "\\u0026",
    "'": "\\u0027",
    "+": "\\u002b",
    "/": "\\/",
    "<": "\\u003c",
    ">": "\\u003e",
    "\\": "\\\\",
    "`": "\\u0060",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JS_REGEXP_TABLE = {
    **_JS_STR_TABLE,
    "$": "\\$",
    "(": "\\(",
    ")": "\\)",
    "*": "\\*",
    "-": "\\-",
    ".": "\\.",
    "?": "\\?",
    "[": "\\[",
    "]": "\\]",
    "^": "\\^",
    "{": "\\{",
    "|": "\\|",
    "}": "\\}",
}


def js_str_escaper(*args: object) -> str:
    text = _stringify(args)[0]
    return "".join(_JS_STR_TABLE.get(ch, ch) for ch in text)


def js_regexp_escaper(*args: object) -> str:
    text = _stringify(args)[0]
    escaped = "".join(_JS_REGEXP_TABLE.get(ch, ch) for ch in text)
    return escaped or "(?:)"


def js_val_escaper(*args: object) -> str:
    if len(args) == 1:
        value = args[0]
        if isinstance(value, JSContent):
            return str(value)
        if isinstance(value, Duration):  # a Stringer; time.Time is a json.Marshaler instead
            value = sprint(value)
    else:
        value = sprint(*args)
    try:
        text = encode(value)
    except (JSONEncodeError, UnsupportedFloatError) as err:
        message = str(err.message).replace("*/", "* /").replace("</script", "\\x3C/script")
        return f" /* {message} */null "
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    if not text:
        return " null "
    if is_js_ident_part(text[0]) or is_js_ident_part(text[-1]):
        return " " + text + " "
    return text


_CSS_TABLE = {
    "\x00": "\\0",
    "\t": "\\9",
    "\n": "\\a",
    "\f": "\\c",
    "\r": "\\d",
    '"': "\\22",
    "&": "\\26",
    "'": "\\27",
    "(": "\\28",
    ")": "\\29",
    "+": "\\2b",
    "/": "\\2f",
    ":": "\\3a",
    ";": "\\3b",
    "<": "\\3c",
    ">": "\\3e",
    "\\": "\\\\",
    "{": "\\7b",
    "}": "\\7d",
}


def css_escaper(*args: object) -> str:
    text = _stringify(args)[0]
    out: list[str] = []
    for index, ch in enumerate(text):
        repl = _CSS_TABLE.get(ch)
        if repl is None:
            out.append(ch)
            continue
        out.append(repl)
        if (
            repl != "\\\\"
            and index + 1 < len(text)
            and (text[index + 1] in "0123456789abcdefABCDEF" or text[index + 1] in " \t\n\f\r")
        ):
            out.append(" ")
    return "".join(out)


def css_value_filter(*args: object) -> str:
    text = _stringify(args)[0]
    ident: list[str] = []
    for index, ch in enumerate(text):
        if ch in "\x00\"'()/;@[\\]`{}<>":
            return FILTER_FAILSAFE
        if ch == "-" and index != 0 and text[index - 1] == "-":
            return FILTER_FAILSAFE
        if ch.isascii() and (ch.isalnum() or ch in "-_"):
            ident.append(ch)
    lowered = "".join(ident).lower()
    if "expression" in lowered or "mozbinding" in lowered:
        return FILTER_FAILSAFE
    return text


def html_name_filter(*args: object) -> str:
    text = _stringify(args)[0]
    if not text:
        return FILTER_FAILSAFE
    text = text.lower()
    if attr_type(text) != "plain":
        return FILTER_FAILSAFE
    if not all(("0" <= ch <= "9") or ("a" <= ch <= "z") for ch in text):
        return FILTER_FAILSAFE
    return text


def comment_escaper(*args: object) -> str:
    return ""


ESCAPER_FUNCS: dict[str, GoFunc] = {
    f.name: f
    for f in (
        GoFunc("_eval_args_", 0, True, lambda *a: eval_args(a)),
        GoFunc("_html_template_htmlescaper", 0, True, html_escaper),
        GoFunc("_html_template_attrescaper", 0, True, html_escaper),
        GoFunc("_html_template_rcdataescaper", 0, True, html_escaper),
        GoFunc("_html_template_nospaceescaper", 0, True, nospace_escaper),
        GoFunc("_html_template_urlfilter", 0, True, url_filter),
        GoFunc("_html_template_urlnormalizer", 0, True, url_normalizer),
        GoFunc("_html_template_urlescaper", 0, True, url_escaper),
        GoFunc("_html_template_srcsetescaper", 0, True, srcset_escaper),
        GoFunc("_html_template_jsvalescaper", 0, True, js_val_escaper),
        GoFunc("_html_template_jsstrescaper", 0, True, js_str_escaper),
        GoFunc("_html_template_jsregexpescaper", 0, True, js_regexp_escaper),
        GoFunc("_html_template_cssescaper", 0, True, css_escaper),
        GoFunc("_html_template_cssvaluefilter", 0, True, css_value_filter),
        GoFunc("_html_template_htmlnamefilter", 0, True, html_name_filter),
        GoFunc("_html_template_commentescaper", 0, True, comment_escaper),
    )
}
