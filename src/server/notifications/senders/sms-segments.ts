/**
 * How many SMS parts a text costs. Text that fits the GSM 03.38 7-bit alphabet goes as 160
 * characters in one message or 153 per part; anything else (ş, ğ, ı, İ, ç — most Turkish
 * sentences) goes as UCS-2: 70 in one message, 67 per part. Some Turkish providers offer the
 * Turkish national shift table (their "TR" encoding, about 155 characters); that is the
 * provider's business and not counted here.
 */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** Characters that take an escape plus one septet. */
const GSM7_EXTENSION = new Set('^{}\\[~]|€\f');

export interface SmsSegmentInfo {
  encoding: 'gsm7' | 'ucs2';
  /** Septets (gsm7) or UTF-16 code units (ucs2). */
  units: number;
  segments: number;
}

export function smsSegments(text: string): SmsSegmentInfo {
  let septets = 0;
  let gsm7 = true;
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) septets += 1;
    else if (GSM7_EXTENSION.has(ch)) septets += 2;
    else {
      gsm7 = false;
      break;
    }
  }
  if (gsm7) {
    return { encoding: 'gsm7', units: septets, segments: partsOf(septets, 160, 153) };
  }
  return { encoding: 'ucs2', units: text.length, segments: partsOf(text.length, 70, 67) };
}

function partsOf(units: number, single: number, perPart: number): number {
  if (units === 0) return 0;
  return units <= single ? 1 : Math.ceil(units / perPart);
}
