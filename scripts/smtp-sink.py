"""A mail server that delivers into a folder, for the tests of handback's mail sending.

    /usr/bin/python3 scripts/smtp-sink.py DIR PORT [--auth USER:PASSWORD]
        [--starttls CERT KEY | --smtps CERT KEY] [--reject ADDRESS]...

Listens on 127.0.0.1:PORT only (Debian's python3-aiosmtpd, nothing else outside the standard
library). Each message accepted becomes DIR/mail/NNNN.eml (the message exactly as received)
and DIR/mail/NNNN.json (its envelope: "from", "to", and "login" and "tls", what the session
was), both in place before the 250 answer to the message, so a client that has its answer
can read them. Written under a temporary name and renamed, so nothing reads half a message.

--auth         requires AUTH PLAIN or LOGIN as USER with PASSWORD before MAIL.
--starttls     offers STARTTLS with this certificate and key, and requires it before AUTH
               and MAIL.
--smtps        TLS from the first byte (implicit TLS, as on port 465).
--reject       answers 550 to RCPT TO for this address (any number of times).

Prints smtp://127.0.0.1:PORT (smtps:// with --smtps) once it listens; stops on SIGTERM.
Started and stopped by scripts/smtp-server.
"""

import argparse
import json
import os
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, folder, rejected):
        self.folder = folder
        self.rejected = {address.lower() for address in rejected}
        self.count = len([name for name in os.listdir(folder) if name.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejected:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        # The event loop runs one handler at a time: the counter needs no lock.
        self.count += 1
        stem = os.path.join(self.folder, f"{self.count:04}")
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        # What the authenticator below keeps of a successful AUTH: the user's name.
        login = session.auth_data if session.authenticated else None
        if isinstance(login, bytes):
            login = login.decode("utf-8", "replace")
        facts = {
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "mail_options": list(envelope.mail_options),
            "login": login,
            # After STARTTLS aiosmtpd records it in the session; implicit TLS only shows in
            # the transport.
            "tls": session.ssl is not None
            or server.transport.get_extra_info("ssl_object") is not None,
        }
        write(stem + ".eml", content)
        write(stem + ".json", json.dumps(facts, indent=1).encode("utf-8"))
        return "250 2.0.0 Ok: queued as " + os.path.basename(stem)


def write(path, data):
    temporary = path + ".part"
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
    os.replace(temporary, path)


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)

    return check


def main():
    parser = argparse.ArgumentParser(description="a mail server that delivers into a folder")
    parser.add_argument("dir")
    parser.add_argument("port", type=int)
    parser.add_argument("--auth", metavar="USER:PASSWORD")
    tls = parser.add_mutually_exclusive_group()
    tls.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    tls.add_argument("--smtps", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--reject", action="append", default=[], metavar="ADDRESS")
    args = parser.parse_args()

    folder = os.path.join(args.dir, "mail")
    os.makedirs(folder, exist_ok=True)
    settings = {"decode_data": False, "enable_SMTPUTF8": True}
    ssl_context = None
    if args.starttls or args.smtps:
        cert, key = args.starttls or args.smtps
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        if args.starttls:
            settings.update(tls_context=context, require_starttls=True)
        else:
            ssl_context = context
    if args.auth:
        user, _, password = args.auth.partition(":")
        settings.update(
            authenticator=authenticator(user, password),
            auth_required=True,
            # Behind --starttls, AUTH only once encrypted; otherwise plain AUTH over loopback
            # is the point of the test.
            auth_require_tls=bool(args.starttls),
        )
    controller = Controller(
        Sink(folder, args.reject),
        hostname="127.0.0.1",
        port=args.port,
        ssl_context=ssl_context,
        server_hostname="127.0.0.1",
        **settings,
    )
    # Every message is in place before its 250: there is nothing to finish, so a signal
    # ends the process at once (aiosmtpd's orderly stop takes a second or more).
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    controller.start()
    scheme = "smtps" if args.smtps else "smtp"
    print(f"{scheme}://127.0.0.1:{args.port}", flush=True)
    while True:
        signal.pause()


if __name__ == "__main__":
    sys.exit(main())
