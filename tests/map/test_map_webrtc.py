"""The map page cannot reach the network through WebRTC (issue 11, item 10): a script in the
page that opens an RTCPeerConnection with a STUN server on loopback sends no UDP packet."""
from __future__ import annotations

import socket
import time

from map_helpers import close_view, load_view, run_js, wait_until

STUN_SCRIPT = """
(function () {
  window.__rtc = 'start';
  try {
    var pc = new RTCPeerConnection({iceServers: [{urls: 'stun:127.0.0.1:%d'}]});
    pc.createDataChannel('x');
    pc.onicecandidate = function (e) { if (!e.candidate) { window.__rtc = 'gathered'; } };
    pc.createOffer().then(function (o) { return pc.setLocalDescription(o); })
      .then(function () { window.__rtc = 'offer'; },
            function (err) { window.__rtc = 'refused: ' + err; });
  } catch (err) {
    window.__rtc = 'refused: ' + err;
  }
  return window.__rtc;
})()
"""


def test_page_webrtc_sends_no_stun_packet(qtbot, empty_db):
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.setblocking(False)
    port = listener.getsockname()[1]
    view, _state = load_view(empty_db)
    try:
        run_js(view.page, STUN_SCRIPT % port)
        # Let ICE gathering run (a STUN request goes out within milliseconds when allowed).
        wait_until(lambda: run_js(view.page, "window.__rtc") != "start", 10, "the script")
        deadline = time.monotonic() + 3
        received = []
        while time.monotonic() < deadline:
            try:
                received.append(listener.recvfrom(2048))
            except BlockingIOError:
                wait_until(lambda: True, 1)
                time.sleep(0.05)
        state = run_js(view.page, "window.__rtc")
        assert received == [], (state, received[:1])
        assert view.interceptor.blocked == [] or all(
            not b.startswith("stun") for b in view.interceptor.blocked)
    finally:
        close_view(view)
        listener.close()
