/** UI strings (Turkish). Another language is another catalogue of the same keys. */
const tr = {
  'app.title': 'Alo 153',
  'app.subtitle': 'BİKOM — Şikayet, Öneri, Katkı',
  'app.loading': 'Yükleniyor…',
  'app.noBridge':
    'Uygulama çekirdeğine bağlanılamadı. Uygulamayı "npm start" ile yeniden başlatıp açılan pencereyi kullanın.',
  'app.unexpected': 'Beklenmeyen bir hata oluştu. Lütfen tekrar deneyin.',
  'common.cancel': 'İptal',
  'common.close': 'Kapat',
  'nav.label': 'Bölümler',
  'nav.sok': 'ŞÖK',
  'nav.list': 'ŞÖK listesi',
  'nav.users': 'Kullanıcılar',

  'auth.loginTitle': 'Giriş',
  'auth.loginIntro': 'Alo 153 kullanıcı adınız ve parolanızla giriş yapın.',
  'auth.username': 'Kullanıcı adı',
  'auth.password': 'Parola',
  'auth.login': 'Giriş yap',
  'auth.loggingIn': 'Giriş yapılıyor…',
  'auth.serverUnreachable':
    'Merkezi sunucuya şu anda ulaşılamıyor. Giriş için sunucu bağlantısı gerekir; bağlantıyı kontrol edip yeniden deneyin.',
  'auth.retry': 'Yeniden dene',
  'auth.setupTitle': 'İlk kurulum',
  'auth.setupIntro':
    'Henüz hiç kullanıcı yok. İlk yönetici hesabını oluşturun; diğer kullanıcıları bu hesapla ekleyeceksiniz.',
  'auth.displayName': 'Ad soyad',
  'auth.password2': 'Parola (tekrar)',
  'auth.setupSubmit': 'Kurulumu tamamla',
  'auth.settingUp': 'Kuruluyor…',
  'auth.passwordsDiffer': 'Parolalar aynı değil.',

  'header.account': 'Hesap',
  'menu.label': 'Kullanıcı menüsü',
  'menu.changePassword': 'Parolamı değiştir',
  'menu.logout': 'Çıkış',
  'logout.pendingTitle': 'Gönderilmemiş işlemler var',
  'logout.force': 'Yine de çık',
  'logout.stay': 'Oturumda kal',
  'password.title': 'Parola değiştir',
  'password.current': 'Mevcut parola',
  'password.new': 'Yeni parola',
  'password.repeat': 'Yeni parola (tekrar)',
  'password.save': 'Parolayı değiştir',
  'password.saving': 'Değiştiriliyor…',
  'password.changed': 'Parolanız değiştirildi.',

  'sync.label': 'Eşitleme durumu',
  'sync.online': 'Çevrimiçi',
  'sync.offline': 'Çevrimdışı — kayıtlar bu bilgisayarda saklanıyor',
  'sync.syncing': 'Eşitleniyor…',
  'sync.signedOut': 'Oturum kapalı — eşitleme yapılmıyor',
  'sync.pendingSome': 'işlem gönderilmeyi bekliyor',
  'sync.pendingNone': 'Bekleyen işlem:',
  'sync.othersPending':
    'Bu bilgisayardaki başka kullanıcıların {count} işlemi, onlar giriş yapınca gönderilecek.',
  'sync.lastSync': 'Son eşitleme: {time}',
  'sync.never': 'Henüz eşitlenmedi',
  'sync.rejected': 'reddedilen kayıt',
  'sync.rejectedTitle': 'Sunucunun reddettiği kayıtları göster',
  'sync.numbersLow': 'Kayıt numarası stoku azaldı (kalan: {count})',
  'sync.now': 'Şimdi eşitle',
  'sync.nowBusy': 'Eşitleniyor…',

  'rejected.title': 'Sunucunun reddettiği kayıtlar',
  'rejected.intro':
    'Bu değişiklikleri merkezi sunucu kabul etmedi; bu bilgisayarda geri alındılar. Düzeltilen durumlarda yeniden gönderin ya da kayıttan vazgeçin.',
  'rejected.empty': 'Reddedilen kayıt yok.',
  'rejected.reason': 'Sunucunun gerekçesi',
  'rejected.date': 'Tarih',
  'rejected.retry': 'Yeniden gönder',
  'rejected.discard': 'Vazgeç',
  'rejected.confirmDiscard':
    'Bu kayıt silinecek ve sunucuya hiç gönderilmeyecek. Vatandaşa verilen numara geçersiz olur. Emin misiniz?',
  'rejected.confirmYes': 'Evet, kayıttan vazgeç',
  'rejected.retried': 'Kayıt yeniden gönderilmek üzere sıraya alındı.',
  'rejected.discarded': 'Kayıttan vazgeçildi.',
  'toast.rejected': 'Sunucu bir kaydı reddetti: {message}',
  'toast.showRejected': 'Reddedilenleri göster',
  'toast.region': 'Bildirimler',

  'admin.title': 'Kullanıcılar',
  'admin.listTitle': 'Kullanıcı listesi',
  'admin.loading': 'Kullanıcılar yükleniyor…',
  'admin.empty': 'Kayıtlı kullanıcı yok.',
  'admin.reload': 'Listeyi yenile',
  'admin.username': 'Kullanıcı adı',
  'admin.displayName': 'Ad soyad',
  'admin.password': 'Parola',
  'admin.role': 'Rol',
  'admin.org': 'Kurum',
  'admin.status': 'Durum',
  'admin.lock': 'Kilit',
  'admin.active': 'Etkin',
  'admin.inactive': 'Devre dışı',
  'admin.lockedUntil': '{time} saatine kadar kilitli',
  'admin.edit': 'Düzenle',
  'admin.createTitle': 'Yeni kullanıcı',
  'admin.create': 'Kullanıcıyı oluştur',
  'admin.creating': 'Oluşturuluyor…',
  'admin.created': '{name} kullanıcısı oluşturuldu.',
  'admin.orgPlaceholder': 'Kurum adını yazın…',
  'admin.editTitle': 'Kullanıcıyı düzenle: {name}',
  'admin.activeToggle': 'Hesap etkin (kapatılırsa kullanıcı giriş yapamaz)',
  'admin.resetPassword': 'Yeni parola (boş bırakılırsa değişmez)',
  'admin.resetHint':
    'Yeni parola verilirse kullanıcının oturumları kapanır ve giriş kilidi kalkar.',
  'admin.save': 'Değişiklikleri kaydet',
  'admin.saving': 'Kaydediliyor…',
  'admin.saved': '{name} güncellendi.',
  'admin.noChanges': 'Değiştirilen bir alan yok.',
  'admin.backToCreate': 'Düzenlemeyi kapat',
  'admin.noSokForm':
    'Yönetici hesabıyla ŞÖK kaydedilmez. ŞÖK kaydetmek için temsilci, hizmet masası veya süpervizör hesabıyla giriş yapın. Kullanıcıları "Kullanıcılar" sekmesinden yönetebilirsiniz.',

  'form.title': 'Yeni ŞÖK',
  'form.type': 'Tür',
  'form.channel': 'Kanal',
  'form.topic': 'Konu',
  'form.district': 'İlçe',
  'form.mahalle': 'Mahalle',
  'form.address': 'Adres',
  'form.location': 'Konum (isteğe bağlı)',
  'form.latitude': 'Enlem',
  'form.longitude': 'Boylam',
  'form.locationHint': 'Ondalık derece, örnek: 40,1885 ve 29,0610',
  'form.latitudeRange': 'Enlem -90 ile 90 arasında bir sayı olmalıdır.',
  'form.longitudeRange': 'Boylam -180 ile 180 arasında bir sayı olmalıdır.',
  'form.coordinatesPair': 'Enlem ve boylam birlikte girilmelidir.',
  'form.description': 'Açıklama',
  'form.descriptionCount': '{count} / {max} karakter',
  'form.citizenName': 'Vatandaşın adı soyadı',
  'form.citizenPhone': 'Telefon',
  'form.phoneMobile': 'cep telefonu',
  'form.phoneFixed': 'sabit hat',
  'form.citizenEmail': 'E-posta',
  'form.preferredContact': 'Sonuç nasıl bildirilsin?',
  'form.contact.telefon': 'Telefon',
  'form.contact.sms': 'SMS',
  'form.contact.e-posta': 'E-posta',
  'form.kvkk': 'KVKK aydınlatma metni okundu',
  'form.kvkkShow': 'Aydınlatma metnini göster',
  'form.kvkkHide': 'Aydınlatma metnini gizle',
  'form.kvkkText':
    'Kişisel verileriniz, veri sorumlusu Bursa Büyükşehir Belediyesi tarafından başvurunuzun alınması, ilgili birime iletilmesi ve sonuçlandırılması amacıyla işlenmektedir. Verileriniz yalnızca bu amaçla, başvurunuzla ilgilenecek belediye birimine, ilçe belediyesine veya kuruma (örneğin BUSKİ) aktarılabilir. İşlemenin hukuki sebebi, belediyenin 3071 sayılı Dilekçe Hakkının Kullanılmasına Dair Kanun ve 5393 sayılı Belediye Kanunu’ndan doğan yasal yükümlülüğüdür. KVKK’nın 11. maddesi uyarınca verilerinizin işlenip işlenmediğini öğrenme, bilgi isteme, düzeltilmesini veya silinmesini isteme ve diğer haklarınızı kullanmak için Bursa Büyükşehir Belediyesi’ne başvurabilirsiniz.',
  'form.smsConsent': 'SMS ile memnuniyet anketi için izin (isteğe bağlı)',
  'form.smsConsentHint': 'İzin verilmemesi başvurunun işlenmesini etkilemez.',
  'form.typeToFilter': 'Yazarak seçin…',
  'form.save': 'Kaydet',
  'form.saving': 'Kaydediliyor…',
  'form.clear': 'Temizle',
  'form.shortcuts': 'Kısayollar: Alt+Y yeni ŞÖK, Ctrl+Enter kaydet, Ctrl+K ara',
  'form.saved': 'ŞÖK kaydedildi.',
  'form.regNoPending': 'Kayıt numarası senkronizasyondan sonra verilecek.',
  'form.regNo': 'Kayıt numarası',
  'form.pendingNote': 'Sunucuya gönderilmeyi bekliyor; numara kesindir.',
  'form.date': 'Tarih',
  'form.rejected':
    'Sunucu bu kaydı reddetti ve kayıt bu bilgisayarda geri alındı. Yeniden gönderin ya da vazgeçin.',
  'form.fixErrors': 'Lütfen işaretli alanları düzeltin.',
  'form.cleared': 'Form temizlendi.',
  'form.undoClear': 'Geri al',

  'draft.restored': 'Kaydedilmemiş taslak geri yüklendi',
  'draft.restoredAt': '(son değişiklik {time})',
  'draft.discard': 'Taslağı sil',
  'draft.saveFailed': 'Taslak kaydedilemedi: {message}',

  'route.title': 'Yönlendirme',
  'route.suggestion': 'Gönderilecek yer: {name}',
  'route.needTopic': 'Konu ve ilçe seçilince gönderilecek yer burada görünür.',
  'route.loading': 'Gönderilecek yer hesaplanıyor…',
  'route.none':
    'Bu konu ve yer için bir yönlendirme kuralı yok: ŞÖK kaydedilir ve BİKOM tarafından yönlendirilmeyi bekler. İsterseniz bir kurum seçin.',
  'route.override': 'Başka bir kuruma gönder',
  'route.overrideChosen': 'Sizin seçiminiz: {name}',
  'route.targetOrg': 'Gönderilecek kurum',
  'route.orgPlaceholder': 'Kurum adını yazın…',
  'route.reason': 'Neden (en az 5 karakter)',
  'route.sameAsSuggestion': 'Seçtiğiniz kurum önerilen yerle aynı; neden gerekmez.',

  'kind.call-centre': 'Çağrı merkezi',
  'kind.district-municipality': 'İlçe belediyeleri',
  'kind.metropolitan-unit': 'Büyükşehir daireleri',
  'kind.municipal-company': 'Belediye şirketleri',
  'kind.institution': 'Belediye dışı kurumlar',

  'caller.title': 'Arayan',
  'caller.empty':
    'Geçerli bir telefon numarası yazıldığında arayanın önceki başvuruları burada görünür.',
  'caller.loading': 'Arayanın geçmişi yükleniyor…',
  'caller.earlier': 'Bu numaranın önceki başvuruları ({count})',
  'caller.noEarlier': 'Bu numaradan önceki başvuru yok.',
  'caller.duplicates': 'Bu mahallede aynı konuda açık bir ŞÖK var',
  'caller.duplicatesIntro':
    'Son 14 gün içinde aynı konu ve mahalle için açılmış ŞÖK: yeni kayıt açmak yerine bu çağrıyı ona ekleyebilirsiniz.',
  'caller.addToExisting': "Bu çağrıyı mevcut ŞÖK'e ekle",
  'caller.adding': 'Ekleniyor…',
  'caller.open': 'Ayrıntı',
  'caller.added': "Çağrı {regNo} numaralı ŞÖK'e eklendi.",
  'caller.addedScript':
    'Bildiriminiz, aynı konuda daha önce açılmış {regNo} numaralı başvuruya eklenmiştir; konu: {topic}. {org} tarafından değerlendirilmektedir.',
  'caller.needName': 'Çağrıyı eklemek için vatandaşın adını yazın.',

  'receipt.script': 'Vatandaşa okuyun',
  'receipt.target': 'Gönderildiği yer',
  'receipt.notRouted': 'Henüz yönlendirilmedi (BİKOM değerlendirecek)',
  'receipt.scriptText':
    'Başvurunuz {date} tarihinde {regNo} numarasıyla kaydedilmiştir; konu: {topic}. {org} tarafından değerlendirilecek; size {contact} ile bilgi verilecek.',
  'receipt.scriptOrgFallback': 'İlgili birim',
  'receipt.publicPhone': '{org} iletişim: {phone}.',
  'receipt.contact.telefon': 'telefon',
  'receipt.contact.sms': 'SMS',
  'receipt.contact.e-posta': 'e-posta',

  'status.registered': 'Kaydedildi',
  'status.routed': 'Yönlendirildi',
  'status.accepted': 'Birimce kabul edildi',
  'status.decided': 'Karara bağlandı',
  'status.informed': 'Vatandaşa bilgi verildi',
  'status.closed': 'Kapatıldı',

  'event.registered': 'Kaydedildi',
  'event.routed': 'Yönlendirildi',
  'event.rerouted': 'Yeniden yönlendirildi',
  'event.contact': 'Aynı konuda yeni başvuru',
  'event.pending': 'Gönderilmeyi bekliyor',
  'pending.sok.create': 'kayıt',
  'pending.sok.route': 'yönlendirme',
  'pending.sok.addContact': 'aynı konuda yeni başvuru',

  'detail.title': 'ŞÖK {regNo}',
  'detail.noRegNo': 'numarasız',
  'detail.loadingTitle': 'ŞÖK',
  'detail.loading': 'Yükleniyor…',
  'detail.gone':
    'Bu ŞÖK artık bu bilgisayarda görüntülenemiyor (başka bir kuruma yönlendirilmiş olabilir).',
  'detail.fields': 'Bilgiler',
  'detail.receipts': 'Vatandaşa gönderilen bilgilendirmeler',
  'detail.receiptsEmpty':
    'Henüz gönderilen bir bilgilendirme yok (ŞÖK sunucuya ulaşınca gönderilir).',
  'detail.email': 'E-posta',
  'detail.purposeReceipt': 'başvuru alındı',
  'detail.purposeReferral': 'başka kuruma iletildi',
  'detail.receiptPending': 'gönderilmeyi bekliyor',
  'detail.receiptSending': 'gönderiliyor',
  'detail.receiptSent': 'gönderildi',
  'detail.receiptFailed': 'gönderilemedi',
  'detail.timeline': 'Zaman çizelgesi',
  'detail.timelineEmpty': 'Henüz kayıtlı bir adım yok (sunucuya gönderilince görünür).',
  'detail.status': 'Durum',
  'detail.channel': 'Kanal',
  'detail.location': 'Konum',
  'detail.originOrg': 'Kaydeden kurum',
  'detail.targetOrg': 'Sorumlu kurum',
  'detail.routing': 'Yönlendirme',
  'detail.routeRule': 'Kural: {rule}',
  'detail.routeReasonText': 'Neden: {reason}',
  'detail.notRouted': 'Yönlendirilmedi',
  'detail.kvkk': 'KVKK aydınlatması',
  'detail.kvkkGiven': 'Yapıldı ({time})',
  'detail.kvkkNotGiven': 'Kayıtlı değil',
  'detail.smsConsent': 'SMS anketi izni',
  'detail.yes': 'Var',
  'detail.no': 'Yok',
  'detail.createdAt': 'Kayıt tarihi',
  'detail.updatedAt': 'Son değişiklik',
  'detail.route': 'Yönlendir',
  'detail.routeTitle': 'Başka bir kuruma yönlendir',
  'detail.routeTarget': 'Yeni sorumlu kurum',
  'detail.routeReason': 'Yönlendirme nedeni (en az 5 karakter)',
  'detail.routeReasonRequired': 'Neden yönlendirdiğinizi yazın (en az 5 karakter).',
  'detail.routeSave': 'Yönlendirmeyi kaydet',
  'detail.routeSaving': 'Kaydediliyor…',
  'detail.routed': 'ŞÖK {regNo}, {org} kurumuna yönlendirildi.',
  'detail.routeNotAllowed': 'Bu ŞÖK’ü yalnızca BİKOM veya şu an sorumlu kurum yönlendirebilir.',
  'detail.pendingSync': 'Sunucuya gönderilmeyi bekliyor',

  'list.title': 'ŞÖK listesi',
  'list.filters': 'Süzgeçler',
  'list.query': 'Ara',
  'list.queryPlaceholder': 'Numara, ad, telefon, açıklama…',
  'list.status': 'Durum',
  'list.type': 'Tür',
  'list.topic': 'Konu',
  'list.district': 'İlçe',
  'list.targetOrg': 'Sorumlu kurum',
  'list.from': 'Başlangıç tarihi',
  'list.to': 'Bitiş tarihi',
  'list.any': 'Tümü',
  'list.anyPlaceholder': 'Tümü (yazarak seçin)',
  'list.reset': 'Süzgeçleri temizle',
  'list.total': 'ŞÖK',
  'list.loading': 'Yükleniyor…',
  'list.empty': 'Süzgeçlere uyan ŞÖK yok.',
  'list.help': 'Ok tuşlarıyla gezinin, Enter ile ayrıntıyı açın.',
  'list.col.regNo': 'Kayıt no',
  'list.col.date': 'Tarih',
  'list.col.type': 'Tür',
  'list.col.topic': 'Konu',
  'list.col.place': 'İlçe / mahalle',
  'list.col.target': 'Sorumlu kurum',
  'list.col.status': 'Durum',
  'list.rangeInvalid': 'Bitiş tarihi başlangıçtan önce olamaz.',

  'search.label': 'ŞÖK ara',
  'search.placeholder': 'Numara, ad, telefon, ilçe, konu veya açıklama…',
  'search.empty': 'Eşleşen ŞÖK yok.',
  'search.latest': 'Son kayıtlar',
  'search.results': 'Arama sonuçları',
  'search.more': 'Daha fazla sonuç var; aramayı daraltın.',
  'search.pending': 'bekliyor',
  'search.pendingTitle': 'Sunucuya henüz gönderilmedi',
} as const;

export type UiKey = keyof typeof tr;

/** A UI string; `{name}` placeholders are filled from params. */
export function ui(key: UiKey, params: Record<string, string | number> = {}): string {
  return tr[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

const ZONE = 'Europe/Istanbul';
// Formatters are built once: lists format thousands of dates while scrolling.
const TIME = new Intl.DateTimeFormat('tr-TR', {
  timeZone: ZONE,
  dateStyle: 'short',
  timeStyle: 'medium',
});
const DATE_LONG = new Intl.DateTimeFormat('tr-TR', {
  timeZone: ZONE,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const SHORT = new Intl.DateTimeFormat('tr-TR', {
  timeZone: ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const COUNT = new Intl.NumberFormat('tr-TR');

/** Dates and times as people in Bursa read them, whatever the PC's time zone. */
export function formatTime(iso: string): string {
  return TIME.format(new Date(iso)).replace(',', '');
}

/** "12 Mart 2026": the form an agent reads aloud. */
export function formatDateLong(iso: string): string {
  return DATE_LONG.format(new Date(iso));
}

/** "12.03.2026 14:05": compact, for lists. */
export function formatShort(iso: string): string {
  return SHORT.format(new Date(iso)).replace(',', '');
}

/** Counts with Turkish digit grouping: 10.000. */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/**
 * The instant a calendar day starts in Istanbul, as ISO (UTC), for a date input's 'YYYY-MM-DD';
 * `plusDays` 1 gives the exclusive end of that day. Turkey keeps UTC+03:00 all year (no DST).
 */
export function istanbulDayStart(date: string, plusDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays, -3);
  return Number.isNaN(utc) ? null : new Date(utc).toISOString();
}
