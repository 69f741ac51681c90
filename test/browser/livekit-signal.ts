/**
 * A LiveKit room a page of the web client can connect to, for browser tests
 * that need the room "connected" (livekit-client reports it only once its
 * peer connection is up). The test answers LiveKit's signalling WebSocket
 * (/rtc/v1, protobuf) itself, through playwright's routeWebSocket, and a
 * second page of the same browser plays the media server's side of the
 * WebRTC connection: it answers the client's offers and the two trickle
 * their ICE candidates through the socket. The client joins the LiveKit
 * double with its token as it signals in (and leaves it as the socket
 * closes), so the server API meet asks (who is in the room) agrees.
 */
import { gunzipSync } from 'node:zlib';
import {
  JoinRequest,
  JoinResponse,
  ParticipantInfo,
  ParticipantInfo_State,
  ParticipantPermission,
  Room,
  ServerInfo,
  SessionDescription,
  SignalRequest,
  SignalResponse,
  SignalTarget,
  TrickleRequest,
  WrappedJoinRequest,
  WrappedJoinRequest_Compression,
} from '@livekit/protocol';
import { decodeJwt } from 'jose';
import type { Page, WebSocketRoute } from 'playwright-core';
import type { LiveKitDouble } from '../livekit/livekit-double.js';

interface PeerWindow {
  peer: RTCPeerConnection;
  candidates: RTCIceCandidateInit[];
}

/** The JoinRequest a client sends in the URL of /rtc/v1 (gzip'd, base64url), with its first offer. */
function joinRequestOf(url: URL): JoinRequest {
  const wrapped = WrappedJoinRequest.fromBinary(Buffer.from(url.searchParams.get('join_request') ?? '', 'base64url'));
  const bytes = wrapped.compression === WrappedJoinRequest_Compression.GZIP ? gunzipSync(wrapped.joinRequest) : wrapped.joinRequest;
  return JoinRequest.fromBinary(bytes);
}

/**
 * Routes `page`'s LiveKit signalling to a room whose media side is `peerPage` (a page of the same browser).
 * One connection at a time: each signalling socket (a join, a join after Leave) gets a new peer connection.
 */
export async function serveLiveKitRoom(page: Page, peerPage: Page, livekit: LiveKitDouble): Promise<void> {
  await page.routeWebSocket(/\/rtc\/v1(\?|$)/, (ws) => void serve(ws, peerPage, livekit));
}

async function serve(ws: WebSocketRoute, peerPage: Page, livekit: LiveKitDouble): Promise<void> {
  await peerPage.evaluate(() => {
    const side = window as unknown as PeerWindow;
    side.peer?.close();
    side.peer = new RTCPeerConnection();
    side.candidates = [];
    side.peer.onicecandidate = (event) => void (event.candidate && side.candidates.push(event.candidate.toJSON()));
  });
  const url = new URL(ws.url());
  const token = url.searchParams.get('access_token') ?? '';
  const claims = decodeJwt(token);
  const video = (claims.video ?? {}) as { room?: string; canPublish?: boolean };
  const send = (message: SignalResponse['message']) => ws.send(Buffer.from(new SignalResponse({ message }).toBinary()));
  const answer = async (offer: SessionDescription) => {
    const sdp = await peerPage.evaluate(
      async (description) => {
        const { peer } = window as unknown as PeerWindow;
        await peer.setRemoteDescription(description);
        await peer.setLocalDescription(await peer.createAnswer());
        return peer.localDescription!.sdp;
      },
      { type: 'offer' as const, sdp: offer.sdp },
    );
    send({ case: 'answer', value: new SessionDescription({ type: 'answer', sdp, id: offer.id }) });
  };

  ws.onMessage(async (data) => {
    const request = SignalRequest.fromBinary(typeof data === 'string' ? Buffer.from(data) : data);
    if (request.message.case === 'offer') await answer(request.message.value);
    if (request.message.case === 'trickle') {
      const candidate = JSON.parse(request.message.value.candidateInit) as RTCIceCandidateInit;
      await peerPage.evaluate((init) => (window as unknown as PeerWindow).peer.addIceCandidate(init), candidate);
    }
  });

  await livekit.connect(token);
  let open = true;
  ws.onClose(() => {
    open = false;
    livekit.leave(video.room ?? '', String(claims.sub));
  });
  send({
    case: 'join',
    value: new JoinResponse({
      room: new Room({ sid: 'RM_browser', name: video.room ?? '' }),
      participant: new ParticipantInfo({
        sid: `PA_${claims.sub}`,
        identity: String(claims.sub),
        name: String(claims.name ?? claims.sub),
        state: ParticipantInfo_State.ACTIVE,
        permission: new ParticipantPermission({ canSubscribe: true, canPublish: video.canPublish ?? false, canPublishData: true }),
      }),
      subscriberPrimary: false,
      serverVersion: '1.9.0',
      serverInfo: new ServerInfo({ version: '1.9.0', protocol: 16 }),
    }),
  });
  const offer = joinRequestOf(url).publisherOffer;
  if (offer) await answer(offer);

  // The media side's candidates, as it finds them, until the socket or the page closes.
  let sent = 0;
  while (open && !peerPage.isClosed()) {
    const candidates = await peerPage.evaluate(() => (window as unknown as PeerWindow).candidates).catch(() => []);
    for (const candidate of candidates.slice(sent)) {
      send({ case: 'trickle', value: new TrickleRequest({ candidateInit: JSON.stringify(candidate), target: SignalTarget.PUBLISHER }) });
    }
    sent = candidates.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
