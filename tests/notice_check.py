#!/usr/bin/env python3
"""Checks dnsbl notices with Python's own email parser, as a mail client would.

Usage: notice_check.py MESSAGE_FILE [REPORTS_JSONL]   (one .eml)
       notice_check.py --mbox MBOX_FILE COUNT

For each message: the headers parse (From, To, Subject decoded from RFC
2047, Date, Message-ID), no header holds a line break or a header of its
own, the body is text/plain UTF-8 that decodes, and the attachment is JSON
(an array of Reports). With REPORTS_JSONL (bulk output), every attached
report must equal the line of the same address there, field for field.
Prints "subject<TAB>to<TAB>addresses" per message; exits 1 on any failure.
"""

import email
import email.policy
import json
import mailbox
import sys


def check(raw, reports_by_address):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert not msg.defects, msg.defects
    for name in ("From", "To", "Subject", "Date", "Message-ID"):
        value = msg[name]
        assert value is not None, f"missing {name}"
        assert "\n" not in str(value) and "\r" not in str(value), name
    assert msg["Bcc"] is None and msg["X-Injected"] is None
    assert msg.get_content_type() == "multipart/mixed"
    parts = list(msg.iter_parts())
    assert parts[0].get_content_type() == "text/plain"
    assert parts[0].get_content_charset() == "utf-8"
    body = parts[0].get_content()
    assert "\r" not in body.replace("\r\n", "\n")
    attachment = parts[1]
    assert attachment.get_content_type() == "application/json"
    assert attachment.get_filename() == "reports.json"
    reports = json.loads(attachment.get_payload(decode=True))
    addresses = [r["address"] for r in reports]
    if reports_by_address is not None:
        for r in reports:
            assert r == reports_by_address[r["address"]], r["address"]
    return msg, body, addresses


def main():
    if sys.argv[1] == "--mbox":
        box = mailbox.mbox(sys.argv[2])
        messages = [m.as_bytes() for m in box]
        assert len(messages) == int(sys.argv[3]), len(messages)
        for raw in messages:
            msg, _, addresses = check(raw, None)
            print(f"{msg['Subject']}\t{msg['To']}\t{','.join(addresses)}")
        return
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    reports = None
    if len(sys.argv) > 2:
        reports = {}
        with open(sys.argv[2]) as f:
            for line in f:
                r = json.loads(line)
                reports[r["address"]] = r
    msg, body, addresses = check(raw, reports)
    print(f"{msg['Subject']}\t{msg['To']}\t{','.join(addresses)}")
    sys.stdout.write(body)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"notice_check: {e!r}", file=sys.stderr)
        sys.exit(1)
