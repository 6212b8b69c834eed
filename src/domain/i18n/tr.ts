/**
 * Turkish messages used by the domain core (validation) and shared with the UI. Keys are stable;
 * another language is another catalogue of the same shape.
 */
export const tr = {
  'validation.invalid': 'Girilen bilgiler geçersiz.',
  'validation.required': 'Bu alan zorunludur.',
  'validation.tooShort': 'En az {min} karakter olmalıdır.',
  'validation.tooLong': 'En fazla {max} karakter olabilir.',
  'validation.numberTooSmall': 'En az {min} olmalıdır.',
  'validation.numberTooBig': 'En fazla {max} olabilir.',
  'validation.unknownCode': 'Listede olmayan bir değer seçildi.',
  'validation.phoneInvalid': 'Telefon numarası geçerli değil. Örnek: 0532 123 45 67',
  'validation.phoneRequired': 'Telefon numarası zorunludur.',
  'validation.emailInvalid': 'E-posta adresi geçerli değil.',
  'validation.emailRequired': 'E-posta ile bilgi istendiği için e-posta adresi gerekli.',
  'validation.contactRequired': 'Telefon numarası veya e-posta adresinden en az biri gerekli.',
  'validation.smsNeedsMobile': 'SMS ile bilgilendirme için bir cep telefonu numarası gerekli.',
  'validation.routeReasonRequired':
    'Önerilen kurumdan farklı bir yere gönderiyorsunuz: nedenini yazın (en az 5 karakter).',
  'validation.unknownField': 'Beklenmeyen alan: {name}',
  'validation.controlCharacter':
    'Metinde izin verilmeyen görünmez bir karakter var (ör. NUL). Metni yeniden yazın veya yapıştırın.',
  'validation.brokenCharacter':
    'Metinde bozuk bir karakter var (eşi olmayan UTF-16 yarısı). Metni yeniden yazın veya yapıştırın.',
  'password.tooShort': 'Parola en az {min} karakter olmalıdır.',
  'password.tooLong': 'Parola en fazla {max} karakter olabilir.',
  'user.usernameFormat':
    'Kullanıcı adı 3–64 karakter olmalı; yalnızca Türkçe karaktersiz küçük harf, rakam, nokta, tire ve alt çizgi içerebilir.',
  'validation.yearOutOfRange': 'Yıl {min} ile {max} arasında olmalıdır.',
  'error.notFound': 'Kayıt bulunamadı.',
  /** A command on a ŞÖK this desk or user cannot see (desk and server say the same). */
  'error.sokNotFound': 'ŞÖK bulunamadı.',
  /** KVKK: "Göster" on contact details this user may not see, or that this PC no longer keeps. */
  'kvkk.revealMasked': 'Bu ŞÖK’ün iletişim bilgilerini görme yetkiniz yok.',
  'kvkk.revealOffDesk':
    'Kişisel veriler bu bilgisayarda tutulmuyor; göstermek için merkeze bağlı olmalısınız.',
  'error.internal': 'Beklenmeyen bir hata oluştu. Lütfen tekrar deneyin.',
  'error.unknownMethod': 'Bilinmeyen işlem: {name}',
  'error.unknownTopic': 'Seçilen konu bulunamadı.',
  'error.unknownDistrict': 'Seçilen ilçe bulunamadı.',
  'error.unknownType': 'Seçilen ŞÖK türü bulunamadı.',
  'error.unknownChannel': 'Seçilen başvuru kanalı bulunamadı.',
  'error.roleCannotRegister':
    'Yönetici hesabıyla ŞÖK kaydedilemez. Temsilci veya hizmet masası hesabıyla giriş yapın.',
  'error.roleCannotAddContact': 'Bu rol ŞÖK’e başvuru ekleyemez.',
  'error.unknownOrganisation': 'Seçilen kurum bulunamadı.',
  'error.alreadyRouted': 'ŞÖK zaten bu kuruma yönlendirilmiş.',
  'error.signedOut': 'Bu işlem için oturum açmanız gerekiyor.',
  'error.apiUnreachable': 'Merkezi sunucuya ulaşılamıyor. Bağlantı gelince tekrar deneyin.',
  'error.draftTooLarge': 'Taslak çok büyük.',
  /** The fallback name of the monthly report the desk saves. */
  'file.monthlyReport': 'alo153-rapor-{month}.pdf',

  // --- The ŞÖK workflow's refusals (src/domain/workflow: guards and transitions) --------------
  // The workflow commands' inputs (src/domain/workflow/inputs.ts).
  'workflow.reasonTooShort': 'Gerekçe en az 5 karakter olmalı.',
  'workflow.reasonTooLong': 'Gerekçe en fazla 1000 karakter olabilir.',
  'workflow.closeNoteRequired': 'Ne yapıldığını kısaca yazın.',
  'workflow.plannedDateFormat': 'Planlanan tarih GG.AA.YYYY olmalı.',
  'workflow.explanationTooLong': 'Açıklama en fazla 2000 karakter olabilir.',
  'workflow.plannedDateRequired': 'Yapılacak işler için planlanan tarih zorunludur.',
  'workflow.reasonCategoryRequired': 'Neden kategorisini seçin.',
  'workflow.wontDoExplanation': 'Neden yapılamayacağını ayrıntılı yazın (en az 20 karakter).',
  'workflow.referralBodyRequired': 'Vatandaşın başvuracağı kurumu yazın.',
  'workflow.notOursExplanation': 'Kısa bir açıklama yazın.',
  'workflow.adminCannotAct': 'Yönetici hesabıyla ŞÖK üzerinde işlem yapılamaz.',
  'workflow.acceptNotRouted': 'Yalnızca yönlendirilmiş ve henüz kabul edilmemiş ŞÖK kabul edilir.',
  'workflow.notRoutedToYou': 'Bu ŞÖK kurumunuza yönlendirilmemiş.',
  'workflow.returnDecided': 'Karar verilmiş bir ŞÖK iade edilemez; önce yeniden açılmalı.',
  'workflow.returnNotTarget': 'Yalnızca ŞÖK’ün yönlendirildiği kurum iade edebilir.',
  'workflow.returnAtCallCentre': 'ŞÖK zaten BİKOM’da; başka bir kuruma yönlendirin.',
  'workflow.routeNotAllowed': 'Bu ŞÖK’ü yalnızca BİKOM veya şu an sorumlu kurum yönlendirebilir.',
  'workflow.routeDecided': 'Karar verilmiş bir ŞÖK yönlendirilemez; önce yeniden açılmalı.',
  'workflow.alreadyDecided': 'Bu ŞÖK için zaten karar verilmiş.',
  'workflow.decideNotRouted': 'Karar için ŞÖK’ün kurumunuza yönlendirilmiş olması gerekir.',
  'workflow.decideNotTarget': 'Yalnızca ŞÖK’ün yönlendirildiği kurum karar verir.',
  'inbox.externalCallCentreOnly':
    'Dış kurumlarda bekleyen ŞÖK’leri yalnızca çağrı merkezi (BİKOM) kullanıcıları görebilir.',
  'workflow.plannedDatePast': 'Planlanan tarih geçmişte olamaz.',
  'workflow.claimClosed': 'Bu geri arama tamamlanmış; yeniden üstlenilemez.',
  'workflow.callbackOtherOrg': 'Geri arama görevi başka bir kurumun.',
  'workflow.claimedBy': 'Bu geri aramayı {name} üstlendi.',
  'workflow.claimedBySomeone': 'Bu geri aramayı başka biri üstlendi.',
  'workflow.releaseUnclaimed': 'Bu geri arama kimsede değil.',
  'workflow.releaseOthers': 'Başkasının üstlendiği geri aramayı yalnızca süpervizör bırakabilir.',
  'workflow.assignClosed': 'Bu geri arama tamamlanmış; başkasına verilemez.',
  'workflow.assignNotSupervisor': 'Geri aramayı yalnızca süpervizör başkasına verebilir.',
  'workflow.assignOtherOrg': 'Geri arama yalnızca {org} personeline verilebilir.',
  'workflow.alreadyAssigned': 'Geri arama zaten {name} üzerinde.',
  'workflow.escalateNotOpen': 'Yalnızca açık bir geri arama üst seviyeye bildirilebilir.',
  'workflow.escalateNotSupervisor': 'Geri aramayı yalnızca süpervizör üst seviyeye bildirebilir.',
  'workflow.escalatedToCallCentre': 'Bu geri arama zaten BİKOM süpervizörlerine bildirildi.',
  'workflow.alreadyEscalated': 'Zaten bu seviyede bildirildi.',
  'workflow.noLapsedClaim': 'Süresi dolmuş bir üstlenme yok.',
  'workflow.nothingOverdue': 'Gecikmiş bir geri arama yok.',
  'workflow.attemptClosed': 'Bu geri arama tamamlanmış; yeni arama kaydedilemez.',
  'workflow.attemptInFuture': 'Arama zamanı gelecekte olamaz.',
  'workflow.attemptBeforeCallback': 'Arama, geri arama görevinden önce yapılmış olamaz.',
  'workflow.outsideCallingHours':
    'Bu saatte vatandaş aranmaz (gece veya tatil). Arama saatleri içinde tekrar deneyin.',
  'workflow.attemptTooSoon': 'İki arama arasında en az {minutes} dakika olmalı.',
  'workflow.reachedNeedsNote': 'Vatandaşa ne söylendiğini yazın.',
  'workflow.closeNotInformed':
    'Yalnızca "yapılacak" kararı vatandaşa bildirilmiş ŞÖK, iş bitince kapatılır.',
  'workflow.closeNotOwner': 'ŞÖK’ü yalnızca değerlendiren kurum kapatır.',
  'workflow.reopenNotDecided': 'Yalnızca karar verilmiş veya kapanmış ŞÖK yeniden açılır.',
  'workflow.reopenNotAllowed': 'ŞÖK’ü yalnızca BİKOM veya değerlendiren kurum yeniden açar.',
  'auth.offlineUnknown':
    'Merkezi sunucuya ulaşılamıyor. Çevrimdışı giriş yalnızca bu bilgisayarda daha önce çevrimiçi giriş yapmış kullanıcılar içindir; bağlantı gelince yeniden deneyin.',
  'auth.invalidCredentials': 'Kullanıcı adı veya parola hatalı.',
  'auth.offlineExpired':
    'Merkezi sunucuya ulaşılamıyor ve bu bilgisayardaki son çevrimiçi girişinizin üzerinden çok zaman geçti. Çevrimdışı giriş için önce bağlantı varken giriş yapmanız gerekir.',
  'auth.offlineLocked':
    'Çok sayıda hatalı deneme yapıldı. Bir süre sonra yeniden deneyin veya bağlantı gelince giriş yapın.',
  'auth.offlineNeedsPassword':
    'Sunucu bağlantısı geldi. Çevrimdışı oturumunuzu sürdürmek için yeniden giriş yapın; bekleyen kayıtlarınız bu bilgisayarda saklanıyor ve girişte gönderilecek.',
  'auth.offlineRefused':
    'Sunucu çevrimdışı oturumunuzu kabul etmedi: {reason} Bekleyen kayıtlarınız bu bilgisayarda saklanıyor; yeniden giriş yapıldığında gönderilecek.',
  'error.logoutPending':
    'Sunucuya henüz gönderilmemiş {count} işleminiz var. Bağlantı gelince gönderilir; yine de çıkmak için "Yine de çık"ı seçin.',
  'phone.serverInvalid':
    'Santral adresi wss:// ile başlamalı. Örnek: wss://santral.bursa.bel.tr:7443',
  'phone.userInvalid': 'SIP kullanıcı adında boşluk veya iki nokta olamaz.',
  'phone.iceUrlInvalid': 'ICE sunucusu stun: veya turn: ile başlamalı.',
  'phone.breakReasonRequired': 'Mola için bir neden seçin.',
  'phone.numberInvalid': 'Geçersiz numara.',
  'phone.endBeforeStart': 'Çağrının bitişi başlangıcından önce olamaz.',
  'phone.answerMismatch': 'Cevaplanma zamanı çağrı sonucuyla uyuşmuyor.',
  'phone.missedOutbound': 'Giden bir çağrı cevapsız sayılamaz.',
  'phone.attemptCallNotFound': 'Bu arama için kanıt gösterilen çağrı kaydı bulunamadı.',
  'phone.attemptCallOtherNumber': 'Kanıt gösterilen çağrı vatandaşın numarasına yapılmamış.',
  'phone.dispositionRequired': 'Çağrı sonucunu seçin.',
  'phone.notConfigured':
    'Telefon ayarları yapılmamış. Telefon ayarlarından santral bilgilerini girin.',
  'phone.passwordRequired': 'SIP parolası gerekli.',
  'phone.callNotFound': 'Çağrı kaydı bulunamadı.',
  'phone.sokNotFound': 'Bağlanacak ŞÖK bulunamadı.',
  'sync.pushFailed': 'Değişiklikler sunucuya gönderilemedi: {reason}',
  'sync.serverError': 'Sunucu hata verdi (HTTP {status}); yeniden denenecek.',
  'sync.unreachable': 'Sunucuya ulaşılamıyor; yeniden denenecek.',
  'sync.numbersRefused': 'Yeni kayıt numarası alınamadı: {reason}',
  'settings.invalid':
    'Alo 153 başlatılamadı: ortam değişkenlerinden bazılarının değeri geçersiz. Düzeltip yeniden başlatın:',
  'settings.written': 'yazılan: "{value}"',
  'settings.integer': 'tam sayı olmalı',
  'settings.count': 'sıfırdan büyük bir tam sayı olmalı',
  'settings.boolean': 'true veya false (1/0, yes/no, on/off) olmalı',
  'settings.integerList': 'virgülle ayrılmış tam sayılar olmalı',
  'settings.json': 'geçerli bir JSON değeri olmalı',
  'settings.trustAny':
    '"true" her istemcinin X-Forwarded-For başlığına inanmak olur; öndeki vekil sunucu sayısını (ör. 1) veya adreslerini (ör. 10.0.0.5,10.1.0.0/16) yazın',
  'settings.tooSmall': 'en az {min} olmalı',
  'settings.tooBig': 'en fazla {max} olabilir',
  'settings.oneOf': 'şunlardan biri olmalı: {values}',
  'settings.format': 'biçimi geçersiz',

  // --- Desktop shell (issue #21: notifications, tray, updates, diagnostics) -------------------
  'notify.syncRejectedTitle': 'Bir değişikliğiniz sunucuda reddedildi',
} as const;

export type MessageKey = keyof typeof tr;
/** The shape of a catalogue: another language provides every key. */
export type MessageCatalogue = { readonly [K in MessageKey]: string };

const catalogue: MessageCatalogue = tr;

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return catalogue[key].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(params[name] ?? `{${name}}`),
  );
}
