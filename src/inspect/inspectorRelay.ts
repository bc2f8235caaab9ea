import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** The Stately inspector UI the bridge page embeds. */
export const STATELY_INSPECTOR_URL = 'https://stately.ai/inspect';

function bridgePage(wsUrl: string, inspectorUrl: string): string {
  return `<!DOCTYPE html><html><head><title>VAIBot statecharts — Stately inspector</title>
<style>*{margin:0;padding:0}html,body{height:100%}iframe{width:100%;height:100%;border:none}</style></head>
<body><iframe id="inspector" src="${inspectorUrl}"></iframe><script>
const iframe=document.getElementById('inspector');const buffer=[];let connected=false;
window.addEventListener('message',(e)=>{if(e.data&&e.data.type==='@statelyai.connected'){connected=true;buffer.forEach((ev)=>iframe.contentWindow.postMessage(ev,'*'));buffer.length=0;}});
const ws=new WebSocket(${JSON.stringify(wsUrl)});
ws.onmessage=(event)=>{const data=JSON.parse(event.data);if(connected)iframe.contentWindow.postMessage(data,'*');else buffer.push(data);};
</script></body></html>`;
}

/** A running relay: the page to open, the WebSocket the inspector client sends to, and stop(). */
export interface InspectorRelay {
  pageUrl: string;
  wsUrl: string;
  stop(): Promise<void>;
}

/**
 * A loopback-only relay between @statelyai/inspect's WebSocket inspector (in this process) and
 * the Stately inspector UI in a browser: an HTTP page embedding the UI, and a WebSocket that
 * forwards (and replays the last 500) inspection events to every other client.
 */
export function startInspectorRelay(port: number, inspectorUrl = STATELY_INSPECTOR_URL): Promise<InspectorRelay> {
  return new Promise((resolve, reject) => {
    const buffer: string[] = [];
    const server = http.createServer((_req, res) => {
      const { port: p } = server.address() as AddressInfo;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(bridgePage(`ws://127.0.0.1:${p}`, inspectorUrl));
    });
    const wss = new WebSocketServer({ server });
    wss.on('connection', (ws) => {
      for (const msg of buffer) ws.send(msg);
      ws.on('message', (data) => {
        const msg = data.toString();
        buffer.push(msg);
        if (buffer.length > 500) buffer.shift();
        for (const client of wss.clients) if (client !== ws && client.readyState === WebSocket.OPEN) client.send(msg);
      });
    });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address() as AddressInfo;
      resolve({
        pageUrl: `http://127.0.0.1:${p}/`,
        wsUrl: `ws://127.0.0.1:${p}`,
        stop: () => new Promise((done) => { for (const c of wss.clients) c.terminate(); wss.close(); server.close(() => done()); }),
      });
    });
  });
}
