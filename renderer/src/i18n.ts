/** UI strings (Turkish). Another language is another catalogue of the same keys. */
const tr = {
  'app.title': 'Alo 153',
  'app.subtitle': 'BİKOM — Şikayet, Öneri, Katkı',
  'app.noBridge':
    'Uygulama çekirdeğine bağlanılamadı. Uygulamayı "npm start" ile yeniden başlatıp açılan pencereyi kullanın.',
  'form.title': 'Yeni ŞÖK',
  'form.type': 'Tür',
  'form.topic': 'Konu',
  'form.district': 'İlçe',
  'form.mahalle': 'Mahalle',
  'form.address': 'Adres',
  'form.description': 'Açıklama',
  'form.citizenName': 'Vatandaşın adı soyadı',
  'form.citizenPhone': 'Telefon',
  'form.typeToFilter': 'Yazarak seçin…',
  'form.save': 'Kaydet',
  'form.saving': 'Kaydediliyor…',
  'form.clear': 'Temizle',
  'form.shortcuts': 'Kısayollar: Alt+Y yeni ŞÖK, Ctrl+Enter kaydet, Ctrl+K ara',
  'form.saved': 'ŞÖK kaydedildi.',
  'form.regNoPending': 'Kayıt numarası senkronizasyondan sonra verilecek.',
  'form.regNo': 'Kayıt numarası',
  'form.fixErrors': 'Lütfen işaretli alanları düzeltin.',
  'search.label': 'ŞÖK ara',
  'search.placeholder': 'Numara, ad, telefon, ilçe, konu veya açıklama…',
  'search.empty': 'Eşleşen ŞÖK yok.',
  'search.latest': 'Son kayıtlar',
  'search.results': 'Arama sonuçları',
  'search.more': 'Daha fazla sonuç var; aramayı daraltın.',
} as const;

export type UiKey = keyof typeof tr;
export const ui = (key: UiKey): string => tr[key];
