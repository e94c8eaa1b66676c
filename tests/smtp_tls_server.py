#!/usr/bin/env python3
"""A real SMTP server with TLS and AUTH on loopback, for dnsbl's tests.

Debian's aiosmtpd with certificates from a test CA that this script makes
with openssl when it starts (in DIR/pki): ca.pem (the CA to trust),
a server certificate for 127.0.0.1 and localhost, or with --cert=wrongname
one for other.example only. Modes:
  --mode=starttls  offers STARTTLS and refuses mail and AUTH before it
  --mode=implicit  TLS from the first byte (smtps)
  --mode=plain     no TLS at all (AUTH in clear allowed)
--auth=PLAIN or LOGIN: the one mechanism offered; the login is "desk" with
the password in $SMTP_TEST_PASSWORD; mail needs it.

Each message is stored as DIR/N.eml, its envelope in DIR/N.env ("MAIL
FROM", then each "RCPT TO", then "tls=yes|no" and "auth=LOGIN|none").
Writes the port to DIR/port once listening.

Usage: smtp_tls_server.py DIR --mode=MODE --auth=MECH [--cert=good|wrongname]
"""

import argparse
import asyncio
import os
import socket
import ssl
import subprocess

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("--mode", choices=["starttls", "implicit", "plain"],
                required=True)
ap.add_argument("--auth", choices=["PLAIN", "LOGIN"], required=True)
ap.add_argument("--cert", choices=["good", "wrongname"], default="good")
args = ap.parse_args()
PASSWORD = os.environ["SMTP_TEST_PASSWORD"].encode()


def openssl(*argv):
    subprocess.run(["openssl", *argv], check=True, capture_output=True)


def make_pki(pki):
    """A CA, and a server certificate it signs for the chosen names."""
    os.makedirs(pki, exist_ok=True)
    ca_key, ca = os.path.join(pki, "ca.key"), os.path.join(pki, "ca.pem")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=dnsbl test CA", "-keyout", ca_key, "-out", ca,
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    key, csr = os.path.join(pki, "server.key"), os.path.join(pki, "server.csr")
    cert, ext = os.path.join(pki, "server.pem"), os.path.join(pki, "ext.cnf")
    names = ("DNS:other.example" if args.cert == "wrongname"
             else "IP:127.0.0.1,DNS:localhost")
    with open(ext, "w") as f:
        f.write(f"subjectAltName={names}\nextendedKeyUsage=serverAuth\n")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj",
            "/CN=" + ("other.example" if args.cert == "wrongname"
                      else "127.0.0.1"),
            "-keyout", key, "-out", csr)
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
            "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", cert)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


class Store:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        Store.count += 1
        base = os.path.join(args.dir, str(Store.count))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".eml.tmp", base + ".eml")
        with open(base + ".env", "w") as f:
            lines = [envelope.mail_from] + envelope.rcpt_tos + [
                "tls=" + ("yes" if server.transport.get_extra_info(
                    "ssl_object") is not None else "no"),
                "auth=" + (args.auth if session.authenticated else "none")]
            f.write("\n".join(lines) + "\n")
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and
          auth_data.login == b"desk" and auth_data.password == PASSWORD)
    # handled=False: aiosmtpd answers 535 itself (its default is to say
    # nothing, leaving the client waiting).
    return AuthResult(success=ok, handled=False)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


context = make_pki(os.path.join(args.dir, "pki"))
other = "LOGIN" if args.auth == "PLAIN" else "PLAIN"
kwargs = dict(authenticator=authenticator, auth_required=True,
              auth_exclude_mechanism=[other])
if args.mode == "starttls":
    kwargs.update(tls_context=context, require_starttls=True)
elif args.mode == "implicit":
    # aiosmtpd knows of TLS only through STARTTLS; this connection is TLS
    # from its first byte, so AUTH may be offered on it.
    kwargs.update(ssl_context=context, auth_require_tls=False)
else:
    kwargs.update(auth_require_tls=False)
port = free_port()
controller = Controller(Store(), hostname="127.0.0.1", port=port, **kwargs)
controller.start()
with open(os.path.join(args.dir, "port.tmp"), "w") as f:
    f.write(str(port))
os.rename(os.path.join(args.dir, "port.tmp"), os.path.join(args.dir, "port"))
try:
    asyncio.get_event_loop().run_forever()
except KeyboardInterrupt:
    pass
finally:
    controller.stop()
