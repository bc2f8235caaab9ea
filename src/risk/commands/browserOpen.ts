/**
 * Opening a URL in a browser (`xdg-open URL`, macOS `open URL`, `sensible-browser`,
 * browsers by name): the browser fetches it, so it is an outbound request like curl's (loopback
 * excepted), and a secret spliced into the URL (`?d=$AWS_SECRET_ACCESS_KEY`) is sent away. Opening a
 * file is judged as any other program's path argument.
 */
import type { Call, Handler } from '../call.js';
import { generic } from './generic.js';
import { judgeHosts } from './net.js';
import { display } from './support.js';

/** Open a URL given as an operand: see the file's comment. */
export const browserOpen: Handler = (call) => {
  const words = call.argWords;
  const urls = words.filter((w) => /^https?:\/\//i.test(w.text));
  if (urls.length > 0) {
    const remote = judgeHosts(call, urls.map((w) => w.text), call.program);
    for (const w of urls) if (remote && w.from.secret) call.exec.run.add('exfil.upload-secret', `${call.program} opens ${display(w.text)}, which carries a secret, in a browser`);
  }
  return generic({ ...call, argWords: call.argWords.filter((w) => !urls.includes(w)), args: call.argWords.filter((w) => !urls.includes(w)).map((w) => w.text) });
};

/** Programs that open URLs in a browser. */
export const BROWSER_OPEN_HANDLERS: Record<string, Handler> = Object.fromEntries(
  ['xdg-open', 'open', 'sensible-browser', 'x-www-browser', 'www-browser', 'firefox', 'google-chrome', 'google-chrome-stable', 'chromium', 'chromium-browser', 'brave-browser', 'microsoft-edge', 'lynx', 'w3m', 'links', 'elinks'].map((p) => [p, browserOpen]),
);
