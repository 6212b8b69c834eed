/** Constants of the browser host's bridge WebSocket, shared by the host and the renderer. */
export const BRIDGE_PATH = '/bridge';
/** The WebSocket subprotocol that names the bridge; the per-launch key travels as a second one. */
export const BRIDGE_PROTOCOL = 'alo153.bridge';
export const KEY_PROTOCOL_PREFIX = 'alo153.key.';
/** Larger frames are refused: the biggest legitimate input is a ŞÖK of a few KB. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
