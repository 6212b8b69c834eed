/** User-facing Turkish texts of the phone, in one place. */
export const phoneText = {
  unregistered: 'Santrale bağlı değil',
  registering: 'Santrale bağlanıyor…',
  registered: 'Santrale bağlı',
  wrongCredentials:
    'SIP kullanıcı adı veya parola hatalı. Ayarlardaki SIP bilgilerini kontrol edin.',
  unreachable: (server: string) =>
    `SIP sunucusuna ulaşılamıyor (${server}). Ağ bağlantısını kontrol edin; yeniden deneniyor.`,
  linkLost: 'Santral bağlantısı koptu; çağrı alınamıyor. Yeniden bağlanılıyor…',
  offline: 'Ağ bağlantısı yok; çağrı alınamıyor. Bağlantı gelince yeniden bağlanılacak.',
  rejected: (code: number, reason: string) => `Santral kaydı reddetti (${code} ${reason}).`,
  noMicrophone: 'Mikrofon bulunamadı. Bir mikrofon ya da kulaklık takın.',
  microphoneDenied: 'Mikrofon izni verilmedi. Uygulamanın mikrofonu kullanmasına izin verin.',
  callFailed: (code: number, reason: string) => `Arama kurulamadı (${code} ${reason}).`,
  busy: 'Aranan numara meşgul.',
  notFound: 'Aranan numara bulunamadı.',
  unavailable: 'Aranan kişi şu anda ulaşılamıyor.',
  notRegistered: 'Santrale bağlı değilken arama yapılamaz.',
  invalidNumber: 'Geçersiz numara.',
  dtmfNotNegotiated:
    'Karşı taraf bu görüşmede tuş bilgisini (RFC 4733) kabul etmiyor; tuşlar SIP INFO ile gönderilebilir.',
  dtmfNoMedia: 'Ses bağlantısı kurulamadı; tuşlar gönderilemedi.',
} as const;

/** Turkish text for a final SIP failure response to an INVITE. */
export function callFailureText(code: number, reason: string): string {
  if (code === 486 || code === 600) return phoneText.busy;
  if (code === 404 || code === 604) return phoneText.notFound;
  if (code === 480 || code === 408) return phoneText.unavailable;
  return phoneText.callFailed(code, reason);
}

/** Turkish text for a getUserMedia failure. */
export function mediaErrorText(error: unknown): string | null {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return phoneText.noMicrophone;
  if (name === 'NotAllowedError' || name === 'SecurityError') return phoneText.microphoneDenied;
  return null;
}

/** Texts of the phone's place in the app (settings, agent state, call log, wrap-up). */
export const sessionText = {
  incomingTitle: 'Gelen arama — Alo 153',
  logFailed: (why: string) => `Çağrı kaydı yazılamadı: ${why}`,
  notConfigured: 'Telefon ayarlanmadı',
  settings: 'Telefon ayarları',
  callLog: 'Çağrı kaydı',
  agentState: 'Temsilci durumu',
  breakReason: 'Mola nedeni',
  inbound: 'Gelen',
  outbound: 'Giden',
  outcome: {
    answered: 'Cevaplandı',
    missed: 'Cevapsız',
    rejected: 'Reddedildi',
    failed: 'Bağlanamadı',
  },
  missedOnly: 'Yalnızca cevapsız çağrılar',
  noCalls: 'Henüz çağrı yok.',
  pending: 'gönderilmeyi bekliyor',
  wrapUpTitle: 'Çağrı sonrası işlem',
  wrapUpReadyIn: (s: number) => `Yeni çağrılara ${s} sn sonra hazır olacaksınız.`,
  wrapUpReady: 'Yeni çağrı alabilirsiniz; çağrı sonucunu yine de girin.',
  disposition: 'Çağrı sonucu',
  linkSok: 'İlgili ŞÖK',
  noSok: 'ŞÖK bağlanmadı',
  note: 'Not',
  save: 'Kaydet',
  incoming: 'Gelen arama',
  earlier: (n: number) => `Önceki ŞÖK’leri (${n})`,
  noEarlier: 'Bu numaradan önceki ŞÖK yok.',
  unknownCaller: 'Numara gizli',
  callTo: (display: string) => `${display} numarasını ara`,
  callNotReady: 'Arama için telefonun santrale bağlı olması gerekir.',
  transferDirectory: 'Birimler ve ilçe hizmet masaları',
  consult: 'Danış',
  /** A button's tooltip with its keyboard shortcut. */
  withKeys: (label: string, keys: string) => `${label} (${keys})`,
  shortcutsHelp: 'Telefon kısayolları (her ekranda, açık pencereler dahil)',
  shortcuts: {
    answer: 'Cevapla',
    hangup: 'Kapat / reddet',
    hold: 'Beklet / devam',
  },
} as const;
