// The page's end of the live-update channel: a WebSocket to the dev server carrying the session
// token, JSON messages in both directions. Reconnects are left to a page reload (the server then
// sends the running program again).

import type { ClientMessage, ServerMessage } from "./protocol.ts";
import { parseMessage } from "./protocol.ts";

export interface Channel {
  send(message: ClientMessage): void;
}

export function openChannel(url: string, onMessage: (message: ServerMessage) => void, onClose: () => void): Channel {
  const socket = new WebSocket(url);
  const queued: string[] = [];
  socket.addEventListener("open", () => {
    for (const text of queued.splice(0)) socket.send(text);
  });
  socket.addEventListener("message", (event) => {
    const message = parseMessage<ServerMessage>(String(event.data));
    if (message) onMessage(message);
  });
  socket.addEventListener("close", onClose);
  return {
    send(message) {
      const text = JSON.stringify(message);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else if (socket.readyState === WebSocket.CONNECTING) queued.push(text);
    },
  };
}
