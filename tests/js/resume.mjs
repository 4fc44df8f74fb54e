// A real EventSource client (npm `eventsource`) against fe-sse, driven by tests/it/fe_sse.rs.
//
// The client connects through a TCP proxy this script runs, so the test can drop the connection
// the way a network does. The test drives it line by line on stdin:
//   drop    the proxy cuts the connection and refuses new ones (the client keeps retrying)
//   resume  the proxy forwards again, now to replica B: the client reconnects on its own and
//           sends the Last-Event-ID of the last notification it got
//   end     close and print the summary
// and reads one JSON object per line on stdout: {"ready":…}, {"got":…} per notification,
// {"dropped":…}, {"summary":…}. The script exits 1 when a notification came twice or out of order.
//
// Environment: FE_SSE_A and FE_SSE_B (host:port of two fe-sse replicas), FE_SSE_USER,
// FE_SSE_TOKEN.
import net from "node:net";
import readline from "node:readline";
import { EventSource } from "eventsource";

const [a, b, user, token] = ["FE_SSE_A", "FE_SSE_B", "FE_SSE_USER", "FE_SSE_TOKEN"].map((name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`resume.mjs: ${name} is not set`);
    process.exit(2);
  }
  return value;
});

const say = (object) => process.stdout.write(JSON.stringify(object) + "\n");
const split = (hostport) => {
  const i = hostport.lastIndexOf(":");
  return { host: hostport.slice(0, i), port: Number(hostport.slice(i + 1)) };
};

let upstream = split(a);
let refusing = false;
const sockets = new Set();
const requests = []; // the request head of every connection, to see Last-Event-ID
const proxy = net.createServer((client) => {
  if (refusing) {
    client.destroy();
    return;
  }
  const server = net.connect(upstream.port, upstream.host);
  sockets.add(client);
  sockets.add(server);
  let head = "";
  client.on("data", (chunk) => {
    if (head.length < 4096 && !head.includes("\r\n\r\n")) {
      head += chunk.toString("latin1");
      if (head.includes("\r\n\r\n")) requests.push(head.split("\r\n\r\n")[0]);
    }
  });
  client.pipe(server);
  server.pipe(client);
  const close = () => {
    client.destroy();
    server.destroy();
    sockets.delete(client);
    sockets.delete(server);
  };
  client.on("error", close);
  server.on("error", close);
  client.on("close", close);
  server.on("close", close);
});
await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
const port = proxy.address().port;

const received = [];
let problem = null;
let opens = 0;
const source = new EventSource(
  `http://127.0.0.1:${port}/v1/users/${encodeURIComponent(user)}/events?access_token=${encodeURIComponent(token)}`,
);
source.addEventListener("open", () => {
  opens += 1;
  say({ ready: true, opens });
});
source.addEventListener("message", (event) => {
  const last = received.at(-1);
  if (received.some((r) => r.id === event.lastEventId)) {
    problem ??= `notification ${event.lastEventId} came twice`;
  } else if (last && !after(event.lastEventId, last.id)) {
    problem ??= `notification ${event.lastEventId} came after ${last.id}`;
  }
  const data = JSON.parse(event.data);
  received.push({ id: event.lastEventId, doc_id: data.doc_id });
  say({ got: event.lastEventId, doc_id: data.doc_id });
});
source.addEventListener("missed", () => {
  problem ??= "the server said notifications were missed";
});

/** Whether stream id `x` comes after `y` (`<ms>-<seq>`). */
function after(x, y) {
  const [xm, xs] = x.split("-").map(BigInt);
  const [ym, ys] = y.split("-").map(BigInt);
  return xm > ym || (xm === ym && xs > ys);
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const command = line.trim();
  if (command === "drop") {
    refusing = true;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    say({ dropped: true, last: received.at(-1)?.id ?? null });
  } else if (command === "resume") {
    upstream = split(b);
    refusing = false;
  } else if (command === "end") {
    break;
  }
}
source.close();
proxy.close();
const lastEventIds = requests
  .map((head) => /^last-event-id:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? null)
  .filter((id) => id !== null);
say({ summary: { received, opens, last_event_ids_sent: lastEventIds, problem } });
process.exit(problem ? 1 : 0);
