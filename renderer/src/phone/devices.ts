import { useEffect, useRef, useState } from 'react';
import { mediaErrorText } from './failure-text';
import { ui } from '../i18n';

export interface AudioDevices {
  inputs: MediaDeviceInfo[];
  outputs: MediaDeviceInfo[];
}

export async function listAudioDevices(): Promise<AudioDevices> {
  const all = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
  return {
    inputs: all.filter((d) => d.kind === 'audioinput'),
    outputs: all.filter((d) => d.kind === 'audiooutput'),
  };
}

/** A label for a device: browsers hide names until the microphone was allowed once. */
export function deviceLabel(device: MediaDeviceInfo, index: number): string {
  if (device.deviceId === 'default')
    return ui('phone.deviceDefault', { label: device.label || ui('phone.deviceSystem') });
  return device.label || ui('phone.deviceNumbered', { n: index + 1 });
}

export interface MicrophoneTest {
  /** 0 … 1 while the test runs. */
  level: number;
  running: boolean;
  /** Turkish: no microphone, permission denied, or another failure. */
  error: string | null;
  start(): Promise<void>;
  stop(): void;
}

/** Opens the chosen microphone and measures its level (RMS), for the settings' meter. */
export function useMicrophoneTest(deviceId: string, onGranted: () => void): MicrophoneTest {
  const [level, setLevel] = useState(0);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stopRef = useRef<() => void>(() => undefined);

  const stop = () => {
    stopRef.current();
    stopRef.current = () => undefined;
    setRunning(false);
    setLevel(0);
  };
  useEffect(() => stop, []);

  const start = async () => {
    stop();
    setError(null);
    let stream: MediaStream;
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('', 'NotFoundError');
      stream = await navigator.mediaDevices.getUserMedia({
        audio: deviceId ? { deviceId } : true,
        video: false,
      });
    } catch (e) {
      setError(mediaErrorText(e) ?? ui('phone.microphoneFailed', { why: (e as Error).message }));
      return;
    }
    onGranted();
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      // RMS scaled so speech fills most of the bar.
      setLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
      frame = requestAnimationFrame(tick);
    };
    tick();
    setRunning(true);
    stopRef.current = () => {
      cancelAnimationFrame(frame);
      for (const track of stream.getTracks()) track.stop();
      void context.close();
    };
  };

  return { level, running, error, start, stop };
}
