import { tr } from '../domain/i18n/tr';

/**
 * Turkish text the server sends for people to read (`userMessage`, field messages). Extends the
 * domain catalogue; move keys there if the client needs them too.
 */
export const serverTr = {
  'auth.locked':
    'Çok fazla hatalı giriş denemesi yapıldı. Güvenliğiniz için giriş {until} saatine kadar engellendi.',
  'auth.rateLimited': 'Çok fazla deneme yapıldı. Lütfen biraz bekleyip tekrar deneyin.',
  'auth.disabled': 'Hesabınız devre dışı bırakılmış. Lütfen yöneticinize başvurun.',
  'auth.sessionEnded': 'Oturumunuz sona erdi. Lütfen yeniden giriş yapın.',
  'auth.forbidden': 'Bu işlem için yetkiniz yok.',
  'auth.wrongCurrentPassword': 'Mevcut parola hatalı.',
  'password.sameAsUsername': 'Parola kullanıcı adıyla aynı olamaz.',
  'password.unchanged': 'Yeni parola eskisiyle aynı olamaz.',
  'user.usernameTaken': 'Bu kullanıcı adı zaten kullanılıyor.',
  'user.lastAdmin': 'Son etkin yönetici hesabı devre dışı bırakılamaz veya yetkisi düşürülemez.',
  'user.nothingToChange': 'Değiştirilecek bir alan belirtilmedi.',
  'admin.ownOrgOnly': 'Yalnızca kendi kurumunuzun kullanıcılarını yönetebilirsiniz.',
  'auth.slowedDown':
    'Bu hesap için çok sayıda hatalı giriş denemesi yapıldı. Lütfen {until} saatinden sonra tekrar deneyin.',
  'auth.sessionMaxReached':
    'Oturumunuz en uzun süresine ({hours} saat) ulaştı. Güvenliğiniz için lütfen yeniden giriş yapın.',
  'setup.done': 'İlk kurulum zaten yapılmış.',
  'setup.tokenInvalid': 'Kurulum anahtarı geçersiz.',
  'sync.unknownKind': 'Sunucu bu işlem türünü tanımıyor ({kind}); kayıt gönderilemedi.',
  'sync.mutationFailed':
    'Sunucu bu kaydı saklayamadı (işlem {id}); kayıt reddedildi. Bilgileri kontrol edip yeniden girin; sorun sürerse sistem yöneticisine bildirin.',
  'sync.streamTaken': 'Bu bilgisayarın eşitleme kimliği başka bir kullanıcıya ait.',
  'numbers.rateLimited':
    'Bu saat içinde çok fazla kayıt numarası alındı; yeni numaralar bir süre sonra alınacak. Kayıtlar numarasını sunucudan alır.',
  'numbers.ceiling':
    'Kullanılmamış {count} kayıt numaranız var; bunlar kullanılmadan yenisi verilmez. Kayıtlar numarasını sunucudan alır.',
  'numbers.reserved':
    'Kayıt numarası alanı dolmak üzere; bilgisayarlara artık numara verilmiyor. Kayıtlar numarasını sunucudan alır; sistem yöneticisine bildirin.',
  'numbers.exhausted':
    'Kayıt numaraları tükendi (9.999.999); yeni ŞÖK kaydedilemiyor. Sistem yöneticisine hemen bildirin.',
  'sync.streamNotYours': 'Bu eşitleme akışı başka bir kullanıcıya ait; yeniden oturum açın.',
  'setup.demoDisabled': 'Bu sunucuda tanıtım verisi oluşturulamaz.',
  'setup.demoRefused':
    'Tanıtım verisi yalnızca hiç kullanıcısı olmayan bir sunucuya yüklenebilir; bu sunucuda kullanıcılar var.',
  'report.allOrganisations': 'Tüm kurumlar',
  'report.registered': 'Kayıtlı ŞÖK: {total} (önceki ay {previous})',
  'report.onTime': 'Zamanında geri arama: {rate} ({onTime} / {counted})',
  'report.legal': '30 günlük yasal süreye uyum: {rate} ({compliant} / {due})',
  'report.calls':
    'Gelen çağrı: {inbound}, cevaplanan {answered} ({answerRate}), cevapsız {missed}, ortalama cevaplama {avgAnswer} sn',
  'report.line':
    'Hat {line}: gelen {offered}, cevaplanan {answered}, vazgeçen {abandoned}; hizmet düzeyi ({threshold} sn) {serviceLevel}, ortalama cevaplama {asa} sn, vazgeçme oranı {abandonmentRate}, en uzun bekleme {longest} sn',
  'report.mailSubject': 'Alo 153 aylık rapor — {month}',
  'report.mailBody': 'Ayrıntılar ekteki PDF raporda.',
  'report.pdfTitle': 'Alo 153 aylık rapor {month}',
  'report.heading': 'Alo 153 — Aylık rapor: {month}',
  'report.byline': '{scope} · Hazırlanma: {at}',
  'report.empty': 'Kayıt yok',
  'report.trend': 'Son 12 ay: kayıtlı ŞÖK',
  'report.where': 'Nerede: ilçelere göre açık / geciken ŞÖK (rapor anında)',
} as const;

const messages = { ...tr, ...serverTr };
export type ServerMessageKey = keyof typeof messages;
/** The shape of a catalogue: another language provides every key. */
export type ServerCatalogue = { readonly [K in ServerMessageKey]: string };

export function t(key: ServerMessageKey, params: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(params[name] ?? `{${name}}`),
  );
}

const ISTANBUL = new Intl.DateTimeFormat('tr-TR', {
  timeZone: 'Europe/Istanbul',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** "29.11.2025 14:35" in Turkish time, as a user reads it. */
export function formatIstanbulTime(iso: string): string {
  return ISTANBUL.format(new Date(iso));
}
