import ringtoneUrl from '../../../resources/sounds/ringtone.wav?url';

/**
 * The ringtone (resources/sounds/ringtone.wav, synthesised by scripts/make-ringtone.mjs), looped
 * on the ringer device the agent chose (HTMLMediaElement.setSinkId), e.g. the PC speakers while
 * calls go to the headset.
 */
let audio: HTMLAudioElement | null = null;

function element(): HTMLAudioElement {
  if (!audio) {
    audio = new Audio(ringtoneUrl);
    audio.loop = true;
    // In the document (hidden) so that what rings, and where, can be inspected.
    audio.id = 'ringtone';
    audio.hidden = true;
    document.body.append(audio);
  }
  return audio;
}

export async function setRingerDevice(deviceId: string): Promise<void> {
  await element()
    .setSinkId?.(deviceId)
    .catch(() => undefined);
}

export function startRinging(): void {
  const a = element();
  if (!a.paused) return;
  a.currentTime = 0;
  void a.play().catch(() => undefined);
}

export function stopRinging(): void {
  audio?.pause();
}

export function isRinging(): boolean {
  return audio !== null && !audio.paused;
}

/** Plays the ringtone once on a device, for the settings' "test" button. */
export async function testRinger(deviceId: string): Promise<void> {
  const a = new Audio(ringtoneUrl);
  await a.setSinkId?.(deviceId).catch(() => undefined);
  await a.play();
  setTimeout(() => a.pause(), 2500);
}
