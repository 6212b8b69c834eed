/** What the demo's citizens call about (src/server/demo/seed.ts): Bursa's everyday requests. */

type Random = () => number;

const pick = <T>(random: Random, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

export interface Places {
  mahalleler: readonly string[];
  sokaklar: readonly string[];
  bulvarlar: readonly string[];
}

export const DISTRICT_PLACES: Readonly<Record<string, Places>> = {
  nilufer: {
    mahalleler: [
      'Görükle',
      'Ataevler',
      'Beşevler',
      'Fethiye',
      'İhsaniye',
      'Özlüce',
      'Konak',
      'Üçevler',
    ],
    sokaklar: [
      'Lale Sokak',
      'Gül Sokak',
      'Menekşe Sokak',
      'Papatya Sokak',
      'Çınar Sokak',
      'Ihlamur Sokak',
    ],
    bulvarlar: ['Fatih Sultan Mehmet Bulvarı', 'Ahmet Taner Kışlalı Bulvarı', 'Odunluk Bulvarı'],
  },
  osmangazi: {
    mahalleler: [
      'Çekirge',
      'Hamitler',
      'Soğanlı',
      'Demirtaş',
      'Panayır',
      'Emek',
      'Yunuseli',
      'Hüdavendigar',
    ],
    sokaklar: [
      'Kavak Sokak',
      'Nergis Sokak',
      'Zambak Sokak',
      'Akasya Sokak',
      'Dut Sokak',
      'Pınar Sokak',
    ],
    bulvarlar: ['Yalova Bulvarı', 'Kıbrıs Şehitleri Bulvarı', 'Çekirge Bulvarı'],
  },
};

export const CITIZEN_FIRST = [
  'Ayşe',
  'Fatma',
  'Emine',
  'Hatice',
  'Zeynep',
  'Elif',
  'Meryem',
  'Şerife',
  'Sultan',
  'Hülya',
  'Mehmet',
  'Mustafa',
  'Ahmet',
  'Ali',
  'Hüseyin',
  'Hasan',
  'İbrahim',
  'İsmail',
  'Osman',
  'Yusuf',
  'Ömer',
  'Kemal',
  'Gökhan',
  'Çağla',
  'Özge',
  'Şükrü',
  'İlknur',
  'Gülşen',
];
export const CITIZEN_LAST = [
  'Yılmaz',
  'Kaya',
  'Demir',
  'Şahin',
  'Çelik',
  'Yıldız',
  'Yıldırım',
  'Öztürk',
  'Aydın',
  'Özdemir',
  'Arslan',
  'Doğan',
  'Kılıç',
  'Aslan',
  'Çetin',
  'Kara',
  'Koç',
  'Kurt',
  'Özkan',
  'Şimşek',
  'Uludağ',
  'Güneş',
  'Işık',
  'Erdoğdu',
];

/** SMS to numbers ending so, and mail to this domain, fail at the demo's providers. */
export const FAILING_PHONE_SUFFIX = '13';
export const FAILING_EMAIL_DOMAIN = 'eski-posta.example.com';

export interface DemoDecision {
  payload: {
    kind: 'will-do' | 'wont-do' | 'already-done' | 'not-ours';
    reasonCategory: string | null;
    explanation: string;
    referralBody: string | null;
  };
  /** What the caller says when the citizen is reached (the attempt's note). */
  script: string;
}

export interface Story {
  topic: string;
  type: string;
  /** Where the routing rules send it: '@ilce' is the district's own municipality. */
  org: string;
  address(random: Random, places: Places): string;
  description(random: Random, mahalle: string): string;
  decision(random: Random): DemoDecision;
  /** The note when the promised work is done. */
  doneNote: string;
}

const street = (random: Random, p: Places) =>
  `${pick(random, p.sokaklar)} No: ${1 + Math.floor(random() * 60)}`;
const boulevard = (random: Random, p: Places) => `${pick(random, p.bulvarlar)} üzeri`;

const willDo = (explanation: string): DemoDecision => ({
  payload: { kind: 'will-do', reasonCategory: null, explanation, referralBody: null },
  script: `Talebiniz programa alındı: ${explanation}`,
});
const alreadyDone = (explanation: string): DemoDecision => ({
  payload: { kind: 'already-done', reasonCategory: null, explanation, referralBody: null },
  script: `Ekiplerimiz yerinde kontrol etti: ${explanation}`,
});
const wontDo = (reasonCategory: string, explanation: string): DemoDecision => ({
  payload: { kind: 'wont-do', reasonCategory, explanation, referralBody: null },
  script: `Talebiniz şu nedenle karşılanamıyor: ${explanation}`,
});
const notOurs = (referralBody: string, explanation: string): DemoDecision => ({
  payload: { kind: 'not-ours', reasonCategory: null, explanation, referralBody },
  script: `Bu konu ${referralBody} yetkisinde; oraya başvurmanızı rica ederiz.`,
});

const mix =
  (...choices: [number, DemoDecision][]) =>
  (random: Random): DemoDecision => {
    let r = random();
    for (const [weight, d] of choices) {
      if (r < weight) return d;
      r -= weight;
    }
    return choices[choices.length - 1]![1];
  };

export const STORIES: readonly Story[] = [
  {
    topic: 'yol.cukur',
    type: 'sikayet',
    org: '@ilce',
    address: street,
    description: (random, m) =>
      pick(random, [
        `${m} Mahallesi'nde sokağın ortasında derin bir çukur var, araçlar zarar görüyor.`,
        `${m} Mahallesi'nde asfalt kazıdan sonra bozuk bırakılmış, yağmurda su birikiyor.`,
      ]),
    decision: mix(
      [0.6, willDo('Asfalt yama ekibi sokağı bu ay içinde onaracak.')],
      [0.25, alreadyDone('Çukur yama ekibince kapatıldı.')],
      [
        0.15,
        wontDo(
          'plan',
          'Sokak gelecek yıl yapılacak altyapı çalışması nedeniyle yenilenecek; şimdilik geçici önlem alındı.',
        ),
      ],
    ),
    doneNote: 'Asfalt yaması yapıldı, yerinde fotoğraflandı.',
  },
  {
    topic: 'yol.cukur',
    type: 'sikayet',
    org: 'bb.fen-isleri',
    address: boulevard,
    description: (random, m) =>
      pick(random, [
        `Bulvar üzerinde ${m} kavşağına yakın şeritte büyük bir çökme var.`,
        `${m} yönünde bulvarın sağ şeridinde asfalt kabarmış, motosikletliler için tehlikeli.`,
      ]),
    decision: mix(
      [0.7, willDo('Bulvar şeridi Fen İşleri asfalt ekibince gece çalışmasıyla onarılacak.')],
      [0.3, alreadyDone('Çökme bölgesi güvenlik şeridiyle kapatıldı ve onarıldı.')],
    ),
    doneNote: 'Şerit onarıldı, trafik normale döndü.',
  },
  {
    topic: 'yol.kaldirim',
    type: 'sikayet',
    org: '@ilce',
    address: street,
    description: (_random, m) =>
      `${m} Mahallesi'nde kaldırım taşları kırık, yaşlılar ve bebek arabaları geçemiyor.`,
    decision: mix(
      [0.5, willDo('Kaldırım onarımı mahalle programına alındı.')],
      [
        0.5,
        wontDo(
          'budget',
          'Bu yılın kaldırım ödeneği tükendi; yeni yıl programında önceliklendirilecek.',
        ),
      ],
    ),
    doneNote: 'Kırık kaldırım taşları değiştirildi.',
  },
  {
    topic: 'temizlik.cop-toplanmadi',
    type: 'sikayet',
    org: '@ilce',
    address: street,
    description: (random, m) =>
      pick(random, [
        `${m} Mahallesi'nde üç gündür çöp toplanmadı, konteynerler taşıyor.`,
        `${m} Mahallesi'nde çöp kamyonu bu hafta sokağa hiç uğramadı.`,
      ]),
    decision: mix(
      [0.7, alreadyDone('Çöpler aynı gün toplandı, güzergâh yeniden düzenlendi.')],
      [0.3, willDo('Sokak akşam vardiyasının güzergâhına eklendi.')],
    ),
    doneNote: 'Güzergâh güncellendi, toplama düzenli yapılıyor.',
  },
  {
    topic: 'temizlik.konteyner',
    type: 'talep',
    org: '@ilce',
    address: street,
    description: (_random, m) =>
      `${m} Mahallesi'nde konteyner kırık, kapağı yok; yenisiyle değiştirilmesini istiyoruz.`,
    decision: mix(
      [0.6, willDo('Yeni konteyner bu hafta yerine konacak.')],
      [
        0.4,
        wontDo(
          'other',
          'Konteyner yeri komşuların itirazı nedeniyle değiştirilemiyor; mevcut konteyner onarıldı.',
        ),
      ],
    ),
    doneNote: 'Yeni konteyner yerleştirildi.',
  },
  {
    topic: 'park.bakim',
    type: 'sikayet',
    org: '@ilce',
    address: (random, p) => `${pick(random, p.sokaklar)} yanındaki mahalle parkı`,
    description: (_random, m) =>
      `${m} Mahallesi parkında banklar kırık, çimler bakımsız ve çöp kutuları dolu.`,
    decision: mix(
      [0.6, willDo('Park bakım ekibi bankları onaracak ve çim biçimi yapacak.')],
      [0.4, alreadyDone('Park temizlendi, kırık banklar değiştirildi.')],
    ),
    doneNote: 'Park bakımı tamamlandı.',
  },
  {
    topic: 'park.agac-budama',
    type: 'talep',
    org: '@ilce',
    address: street,
    description: (_random, m) =>
      `${m} Mahallesi'nde ağaç dalları elektrik tellerine ve pencerelere değiyor, budanmasını istiyoruz.`,
    decision: mix(
      [0.5, willDo('Budama ekibi mevsim programına göre ağaçları budayacak.')],
      [
        0.5,
        notOurs(
          'UEDAŞ',
          'Elektrik hattına temas eden dalları güvenlik nedeniyle UEDAŞ ekipleri budar.',
        ),
      ],
    ),
    doneNote: 'Ağaçlar budandı.',
  },
  {
    topic: 'park.oyun-grubu',
    type: 'sikayet',
    org: 'bb.park-bahceler',
    address: (random) => pick(random, ['Bursa Kent Parkı', 'Millet Bahçesi', 'Botanik Parkı']),
    description: () => 'Parktaki çocuk oyun grubunun kaydırağı kırılmış, çocuklar için tehlikeli.',
    decision: mix(
      [0.6, willDo('Kırık oyun grubu sökülüp yenisi takılacak.')],
      [0.4, alreadyDone('Kaydırak aynı gün kapatıldı ve onarıldı.')],
    ),
    doneNote: 'Oyun grubu yenilendi.',
  },
  {
    topic: 'park.cim-sulama',
    type: 'oneri',
    org: 'bb.park-bahceler',
    address: (random) => pick(random, ['Bursa Kent Parkı', 'Millet Bahçesi']),
    description: () =>
      'Öğle saatlerinde sulama yapılıyor, yürüyüş yolu ıslanıyor; sulama saatinin akşama alınmasını öneriyorum.',
    decision: mix(
      [0.5, willDo('Sulama saatleri akşam 21:00 sonrasına alınacak.')],
      [
        0.5,
        wontDo(
          'technical',
          'Otomatik sulama sistemi bölge basıncına göre ayarlı; saat değişikliği teknik olarak mümkün değil.',
        ),
      ],
    ),
    doneNote: 'Sulama saatleri değiştirildi.',
  },
  {
    topic: 'zabita.gurultu',
    type: 'sikayet',
    org: '@ilce',
    address: street,
    description: (_random, m) =>
      `${m} Mahallesi'nde bir işyeri gece yarısına kadar yüksek sesle müzik yayını yapıyor.`,
    decision: mix(
      [0.5, alreadyDone('Zabıta ekibi işyerini denetledi, tutanak tutuldu.')],
      [
        0.5,
        notOurs(
          'Bursa İl Emniyet Müdürlüğü',
          'Gece 22:00 sonrası gürültü için 112 Acil Çağrı Merkezi aranmalıdır.',
        ),
      ],
    ),
    doneNote: 'Denetim yapıldı.',
  },
  {
    topic: 'zabita.isgal',
    type: 'sikayet',
    org: '@ilce',
    address: street,
    description: (_random, m) =>
      `${m} Mahallesi'nde market kaldırımı tamamen kasalarla kapatmış, yayalar yola iniyor.`,
    decision: mix([1, alreadyDone('Kaldırım işgali kaldırıldı, işyerine uyarı yapıldı.')]),
    doneNote: 'İşgal kaldırıldı.',
  },
  {
    topic: 'su.ariza',
    type: 'sikayet',
    org: 'buski',
    address: street,
    description: (_random, m) => `${m} Mahallesi'nde ana borudan su sızıyor, sokak göle döndü.`,
    decision: mix([1, alreadyDone('BUSKİ ekibi arızayı giderdi.')]),
    doneNote: 'Arıza giderildi.',
  },
  {
    topic: 'ulasim.otobus-gecikme',
    type: 'sikayet',
    org: 'burulas',
    address: () => 'Durak',
    description: (_random, m) =>
      `${m} durağında sabah otobüsü 40 dakikadır gelmiyor, işe geç kalıyoruz.`,
    decision: mix([1, alreadyDone('Sefer aksaklığı giderildi.')]),
    doneNote: 'Seferler düzeldi.',
  },
  {
    topic: 'aydinlatma.sokak-lambasi',
    type: 'sikayet',
    org: 'uedas',
    address: street,
    description: (_random, m) =>
      `${m} Mahallesi'nde sokak lambaları bir haftadır yanmıyor, akşamları sokak karanlık.`,
    decision: mix([1, alreadyDone('Lambalar değiştirildi.')]),
    doneNote: 'Aydınlatma onarıldı.',
  },
  {
    topic: 'diger.etkinlik',
    type: 'tesekkur',
    org: 'unstaffed',
    address: () => '',
    description: () => 'Merinos Parkı’ndaki konser çok güzeldi, emeği geçenlere teşekkür ederim.',
    decision: mix([1, alreadyDone('Teşekkürünüz ilgili birime iletildi.')]),
    doneNote: '',
  },
];
