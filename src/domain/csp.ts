export interface CspOptions {
  /**
   * WebSocket URLs of the SIP server(s) the softphone will register with (from settings).
   * Each must be wss:; only its origin is allowed, not every wss: host.
   */
  sipServers?: readonly string[];
  /**
   * Exact extra origins the page may connect to: the browser host's own bridge WebSocket
   * (ws://127.0.0.1:PORT), which Electron does not need.
   */
  bridgeOrigins?: readonly string[];
}

/**
 * The UI's Content-Security-Policy, the same in both hosts: sent as a header by Electron's app://
 * protocol handler and by the browser host's HTTP server.
 * - No 'unsafe-inline' for styles: React's `style` prop writes through the CSSOM
 *   (`el.style.x = …`), which CSP does not restrict. Runtime-injected `<style>` tags
 *   (CSS-in-JS, React 19 `<style precedence>`) would be blocked — use CSS files instead.
 * - img/font allow data: because Vite inlines small assets as data: URLs.
 * - media allows blob: for ringtones and recorded audio; WebRTC streams use srcObject, which
 *   CSP does not govern.
 * - connect-src is 'self' plus exactly the configured SIP WebSocket origins. The central
 *   server is reached from the client core (sync engine), never from the page.
 */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const sipOrigins = (options.sipServers ?? []).map(websocketOrigin);
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'media-src': ["'self'", 'blob:'],
    'connect-src': ["'self'", ...(options.bridgeOrigins ?? []), ...sipOrigins],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

function websocketOrigin(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`SIP server is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'wss:') throw new Error(`SIP server must use wss:, got ${url}`);
  return parsed.origin;
}
