#!/usr/bin/python3
"""Early media for a caller waiting on the line (resources/sip/kamailio.cfg, WITH_LINE_ANNOUNCEMENT).

Kamailio 5.6's rtpengine_offer()/rtpengine_answer() can only rewrite the current message's body,
and the waiting caller's INVITE must stay intact for the agent's leg later. So this helper talks
to rtpengine's ng control socket itself: it anchors the caller's offer in rtpengine ("offer"),
answers it on behalf of the line ("answer", to-tag `line-announcement`, send-only), starts playing
the announcement towards the caller ("play media") and prints rtpengine's SDP answer for the
caller, base64-encoded on one line, for the 183 Session Progress. Nothing printed = no early media.

usage: line-announce.py <ng udp:host:port> <call-id> <from-tag> <caller SDP, base64> <file.wav>
"""
import base64
import os
import socket
import sys


def enc(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, list):
        return b"l" + b"".join(enc(x) for x in v) + b"e"
    return b"d" + b"".join(enc(k) + enc(v[k]) for k in sorted(v)) + b"e"


def dec(s, i=0):
    c = s[i : i + 1]
    if c == b"i":
        e = s.index(b"e", i)
        return int(s[i + 1 : e]), e + 1
    if c in (b"l", b"d"):
        out, i = [], i + 1
        while s[i : i + 1] != b"e":
            v, i = dec(s, i)
            out.append(v)
        if c == b"l":
            return out, i + 1
        return {out[k].decode(): out[k + 1] for k in range(0, len(out), 2)}, i + 1
    colon = s.index(b":", i)
    n = int(s[i:colon])
    return s[colon + 1 : colon + 1 + n], colon + 1 + n


def main():
    ng, call_id, from_tag, sdp_b64, wav = sys.argv[1:6]
    host, port = ng.split(":")[-2:]
    sdp = base64.b64decode(sdp_b64)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(1.0)

    def ask(cmd):
        cookie = os.urandom(6).hex().encode()
        sock.sendto(cookie + b" " + enc(cmd), (host, int(port)))
        data = sock.recv(65535)
        reply, _ = dec(data, data.index(b" ") + 1)
        if reply.get("result") != b"ok":
            raise RuntimeError(reply.get("error-reason", b"?").decode())
        return reply

    common = {"call-id": call_id, "from-tag": from_tag, "replace": ["origin", "session-connection"]}
    offer = ask({"command": "offer", "sdp": sdp, "ICE": "remove", "transport-protocol": "RTP/AVP", **common})
    # The line only speaks: answered "sendonly", so the caller's own audio is not sent anywhere
    # (with sendrecv rtpengine would forward it to the answer's address, its own port: an echo).
    line_sdp = offer["sdp"].replace(b"a=sendrecv", b"a=sendonly")
    if b"a=sendonly" not in line_sdp:
        line_sdp = line_sdp.rstrip(b"\r\n") + b"\r\na=sendonly\r\n"
    answer = ask(
        {"command": "answer", "to-tag": "line-announcement", "sdp": line_sdp, "ICE": "remove", **common}
    )
    ask({"command": "play media", "call-id": call_id, "from-tag": from_tag, "file": wav, "repeat-times": 1000})
    print(base64.b64encode(answer["sdp"]).decode())


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # no early media: the caller keeps hearing ringback
        print(f"line-announce: {e}", file=sys.stderr)
        sys.exit(1)
