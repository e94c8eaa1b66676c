#!/usr/bin/env python3
"""A real SMTP server on loopback (Debian's aiosmtpd) for dnsbl's tests.

Accepts mail on a free 127.0.0.1 port and stores each message exactly as
received (the DATA bytes, dot-unstuffed) in DIR/N.eml, with its envelope
in DIR/N.env ("MAIL FROM" then one "RCPT TO" per line). Recipients whose
local part is "reject" are refused with 550, so tests can watch one
failure not stop the rest. Writes the port to DIR/port once listening.

Usage: smtp_sink.py DIR
"""

import asyncio
import os
import socket
import sys

from aiosmtpd.controller import Controller

DIR = sys.argv[1]


class Sink:
    count = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.split("@")[0] == "reject":
            return "550 5.1.1 mailbox refused by the test server"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        Sink.count += 1
        base = os.path.join(DIR, str(Sink.count))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".eml.tmp", base + ".eml")
        with open(base + ".env", "w") as f:
            f.write("\n".join([envelope.mail_from] + envelope.rcpt_tos) + "\n")
        return "250 Message accepted"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
with open(os.path.join(DIR, "port.tmp"), "w") as f:
    f.write(str(port))
os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
try:
    asyncio.get_event_loop().run_forever()
except KeyboardInterrupt:
    pass
finally:
    controller.stop()
