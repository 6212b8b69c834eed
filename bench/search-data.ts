/**
 * Synthetic but realistic ŞÖKs for the search benchmark: Turkish names and places, Turkish mobile
 * numbers, topic-coherent descriptions, typed the ways agents type (some in capitals, some
 * without Turkish letters). Everything comes from a seeded PRNG, so a given (seed, n) always
 * produces the same rows, ids and timestamps.
 */
import type { ReferenceData } from '../src/domain/reference';
import { formatRegNo } from '../src/domain/regno';
import type { SokDraft } from '../src/domain/sok';

/** Bump when the generated rows change, so cached benchmark databases are rebuilt. */
export const DATA_VERSION = 2;

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: tiny, fast, good enough for test data; state is one 32-bit integer. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Like pick, but earlier items are more likely (index ∝ u^skew): surnames, mahalles … */
  skewed<T>(items: readonly T[], skew = 2): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(Math.pow(this.next(), skew) * items.length)] as T;
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }
}

/** Picks by weight; built once, then O(log n) per pick. */
class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(
    private readonly items: readonly T[],
    weight: (item: T) => number,
  ) {
    if (items.length === 0) throw new Error('weighted pick from an empty list');
    let sum = 0;
    for (const item of items) {
      sum += Math.max(0, weight(item));
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

/** 'a, b, c' → ['a', 'b', 'c'] (keeps the word lists compact). */
function list(text: string): string[] {
  return text.split(/,\s*/).filter((w) => w !== '');
}

/** 'a=3 b=1.5' → { a: 3, b: 1.5 }. */
function weights(text: string): Record<string, number> {
  return Object.fromEntries(
    text
      .split(/\s+/)
      .filter((w) => w !== '')
      .map((pair) => {
        const [key = '', value = ''] = pair.split('=');
        return [key, Number(value)];
      }),
  );
}

const FEMALE_NAMES = list(
  'Ayşe, Fatma, Emine, Hatice, Zeynep, Elif, Meryem, Şerife, Zehra, Sultan, Hanife, Merve, ' +
    'Özlem, Yasemin, Büşra, Esra, Gülşen, Çiğdem, Dilek, Şule, Hülya, Songül, Nurcan, Tuğba, ' +
    'İrem, Işıl, Ebru, Sevgi, Öznur, Gökçe, Derya, Ülkü, Müge, Aslı, Pınar, Sibel, Nilüfer, ' +
    'İpek, Feride, Gülizar',
);
const MALE_NAMES = list(
  'Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, İsmail, Osman, Yusuf, Murat, Ömer, ' +
    'Ramazan, Halil, Süleyman, Abdullah, Mahmut, Salih, Kemal, Recep, Fatih, Emre, Burak, ' +
    'Serkan, Uğur, Oğuz, Çağrı, Gökhan, Tolga, Barış, Doğan, İlker, Şükrü, Ümit, Özgür, ' +
    'Tuncay, Cengiz, Yiğit, Kağan, Onur',
);

const SURNAMES = list(
  'Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, Özdemir, Arslan, ' +
    'Doğan, Kılıç, Aslan, Çetin, Kara, Koç, Kurt, Özkan, Şimşek, Polat, Özcan, Korkmaz, ' +
    'Çakır, Erdoğan, Yavuz, Can, Acar, Şen, Aktaş, Güler, Yalçın, Güneş, Bozkurt, Bulut, ' +
    'Keskin, Ünal, Turan, Gül, Özer, Işık, Kaplan, Avcı, Sarı, Tekin, Taş, Köse, Yüksel, ' +
    'Ateş, Aksoy, Çiftçi, Uçar, Karaca, Bayram, Bilgin, Akın, Altun, Güven, Çınar, Kocabaş, ' +
    'Ekinci, Sönmez, Tunç, Akgül, Uysal, Karakaya, Başaran, Duman, Gündüz, Ağaoğlu, Eğilmez, ' +
    'İnce, Ilgaz, Üstün, Önal, Dağ, Soylu, Erol, Işıklı',
);

/** Mahalles of the big districts; the small ones draw from GENERIC_MAHALLE. */
const MAHALLE: Record<string, readonly string[]> = {
  osmangazi: list(
    'Hamitler, Soğanlı, Panayır, Demirtaş, Çekirge, Hocaalizade, Kükürtlü, Alemdar, ' +
      'Yunuseli, Emek, Dikkaldırım, Altınova, Küçükbalıklı, Gülbahçe, Doburca, ' +
      'Santral Garaj, Osmangazi, Elmasbahçeler, Geçit, Çirişhane',
  ),
  nilufer: list(
    'Görükle, Beşevler, Ataevler, Fethiye, İhsaniye, Özlüce, Balat, Odunluk, Konak, ' +
      'Ertuğrul, Üçevler, Altınşehir, Karaman, 23 Nisan, Barış, Minareliçavuş',
  ),
  yildirim: list(
    'Millet, Değirmenönü, Yiğitler, Yavuzselim, Beyazıt, Davutkadı, Mollaarap, ' +
      'Sinandede, Setbaşı, Vatan, Esenevler, Ulus, Arabayatağı, Hacivat, Şirinevler, ' +
      'Kazımkarabekir, Mimar Sinan, Selçukbey',
  ),
  inegol: list('Cuma, Sinanbey, Mahmudiye, Akhisar, Kemalpaşa, Osmaniye, Cerrah, Yeniceköy'),
  gemlik: list('Hamidiye, Osmaniye, Cumhuriyet, Kumla, Dr. Ziya Kaya, Balıkpazarı, Eşref Dinçer'),
  mudanya: list('Güzelyalı, Ömerbey, Halitpaşa, Mütareke, Yeni, Altıntaş, Bademli'),
  gursu: list('Kurtuluş, Zafer, Hasanköy, Yenidoğan, Osmaniye'),
  kestel: list('Ahmet Vefik Paşa, Kale, Vani Mehmet, Dudaklı, Barakfakı'),
};
const GENERIC_MAHALLE = list(
  'Merkez, Cumhuriyet, Hürriyet, Yeni, Atatürk, Fatih, Orhaniye, Kurtuluş, İstiklal, ' +
    'Çarşı, Gazi, Yenice, Işıklar, Karşıyaka, Çamlıca, Gündoğdu',
);

const STREETS = list(
  'Çamlık, Gül, Lale, Papatya, Menekşe, Zambak, Karanfil, Akasya, Çınar, Ihlamur, Söğüt, ' +
    'Kavak, Meşe, Nergis, Sümbül, Yasemin, Manolya, Begonya, Gelincik, Şebboy, Erguvan, ' +
    'Kardelen, Leylak, Fesleğen, Ortaç, Dumlupınar',
);
const AVENUES = list(
  'Atatürk, İstiklal, Cumhuriyet, İnönü, Fevzi Çakmak, Mudanya Yolu, Ankara Yolu, Stadyum, ' +
    'Yeşil, Altıparmak, Kıbrıs Şehitleri, Gazcılar, Çekirge',
);

/** How "street" and "avenue" are written, most common first. */
export const STREET_WORDS = ['Sokak', 'Sk.', 'Sok.', 'Sokağı', 'SK'];
export const AVENUE_WORDS = ['Caddesi', 'Cad.', 'Cd.', 'Cadde'];

const OPENINGS = [
  'Vatandaş arayarak bildirdi:',
  'Arayan vatandaş şikayetçi.',
  'Vatandaşın beyanı:',
  'Hemşehrimiz belirtiyor:',
  'Vatandaş tekrar arıyor.',
  '',
  '',
];
const PLACES = [
  'Sokağın başında',
  'Evinin önünde',
  'Okulun yanındaki yolda',
  'Caddenin köşesinde',
  'Parkın girişinde',
  'Cami karşısında',
  'Sağlık ocağının arkasında',
  'Pazar yerinin yanında',
  'Apartmanın bitişiğinde',
  'Durağın önünde',
  'Mahalle muhtarlığının yanında',
];
/** What went wrong, by root topic code (yol, temizlik …); roots not listed use `diger`. */
const PROBLEMS: Record<string, readonly string[]> = {
  yol: [
    'asfalt çökmüş, büyük bir çukur oluşmuş.',
    'kaldırım taşları kırılmış, yayalar düşüyor.',
    'kazı yapılmış ama yol kapatılmamış.',
    'yol buz tuttu, araçlar kayıyor.',
    'stabilize yol çamur içinde, araçlar geçemiyor.',
  ],
  temizlik: [
    'çöp konteyneri taşmış, etrafa koku yayılıyor.',
    'çöpler günlerdir toplanmıyor.',
    'moloz ve eski eşyalar bırakılmış.',
    'sivrisinek çok fazla, ilaçlama yapılmamış.',
    'konteynerin kapağı kırık, kediler çöpleri dağıtıyor.',
  ],
  su: [
    'su borusu patlamış, yola su akıyor.',
    'sabahtan beri sular yok.',
    'rögar kapağı yerinden çıkmış.',
    'kanalizasyon taşıyor, kötü koku var.',
    'musluktan bulanık su geliyor.',
  ],
  ulasim: [
    'otobüs durakta durmadan geçti.',
    'sefer saatlerine uyulmuyor, otobüs yarım saat gecikti.',
    'şoför yolculara kaba davrandı.',
    'BursaRay istasyonunda asansör çalışmıyor.',
    'BursaKart dolum makinesi arızalı.',
  ],
  park: [
    'parktaki salıncak kırık, çocuklar için tehlikeli.',
    'ağaç dalları elektrik tellerine değiyor, budama gerekiyor.',
    'çimler biçilmemiş, otlar boy vermiş.',
    'fırtınada ağaç devrildi, yolu kapattı.',
  ],
  zabita: [
    'seyyar satıcılar kaldırımı işgal ediyor.',
    'gece geç saatlere kadar yüksek sesle müzik çalınıyor.',
    'işyeri fiyat etiketi koymuyor.',
    'masalar kaldırıma taşmış, yayalar geçemiyor.',
  ],
  aydinlatma: [
    'sokak lambası yanmıyor, her yer karanlık.',
    'aydınlatma direği eğilmiş, devrilmek üzere.',
    'parktaki projektörler çalışmıyor.',
  ],
  hayvan: [
    'sahipsiz köpekler saldırgan, çocuklar okula gidemiyor.',
    'yaralı bir kedi var, veteriner gerekiyor.',
    'ölü bir hayvan yol kenarında duruyor.',
    'sokak köpekleri sürü halinde dolaşıyor.',
  ],
  imar: [
    'izinsiz kat çıkılıyor, kaçak yapı var.',
    'metruk bina yıkılmak üzere, içine giren çıkan belli değil.',
    'kapı numarası tabelası yanlış yazılmış.',
  ],
  sosyal: [
    'yaşlı annesi için evde bakım hizmeti istiyor.',
    'gıda yardımı başvurusunun sonucunu öğrenmek istiyor.',
    'engelli aracı için randevu alamadığını söylüyor.',
  ],
  cenaze: [
    'cenaze nakil aracı gecikti.',
    'mezarlıkta otlar temizlenmemiş.',
    'taziye çadırı kurulmasını istiyor.',
  ],
  trafik: [
    'trafik ışığı arızalı, kavşakta kaza riski var.',
    'yaya geçidi çizgileri silinmiş.',
    'okul önüne hız kesici yapılmasını istiyor.',
    'trafik levhası yere düşmüş.',
  ],
  otopark: [
    'değnekçiler zorla para istiyor.',
    'araçlar kaldırıma hatalı park ediyor.',
    'otopark ücreti çok yüksek alınmış.',
  ],
  'kayip-esya': [
    'otobüste çantasını unuttu.',
    'tramvayda cüzdanını kaybetti.',
    'hizmet binasında telefonunu unuttu.',
  ],
  elektrik: [
    'elektrik kesildi, ne zaman geleceği bilinmiyor.',
    'kopuk kablo yerde duruyor, kıvılcım çıkarıyor.',
    'trafo binasından uğultu geliyor.',
  ],
  dogalgaz: [
    'sokakta yoğun gaz kokusu var.',
    'doğalgaz kazısından sonra yol kapatılmamış.',
    'sayaç okuması hatalı yapılmış.',
  ],
  diger: [
    'belediyenin mesai saatlerini soruyor.',
    'konser etkinliği hakkında bilgi istiyor.',
    'personelin ilgisinden memnun kaldığını söylüyor.',
    'genel bir konuda görüş bildiriyor.',
  ],
};
const DURATIONS = [
  'Üç gündür böyle.',
  'Bir haftadır düzeltilmedi.',
  'Dün akşamdan beri devam ediyor.',
  'Daha önce de aradığını söylüyor.',
  'Çocuklar ve yaşlılar için tehlike oluşturuyor.',
  '',
  '',
];
const REQUESTS = [
  'Gereğinin yapılmasını rica ediyor.',
  'Acil müdahale bekliyor.',
  'Ekip gönderilmesini talep ediyor.',
  'Geri dönüş yapılmasını istiyor.',
  'Bilgilendirilmek istiyor.',
];
/** About 1 ŞÖK in 2,000 carries this ("rare word" queries: muslugu). */
export const RARE_SENTENCE = 'Ayrıca mahalledeki tarihi çeşmenin musluğu kırık.';
/** About 1 ŞÖK in 100,000 carries this ("very rare word" queries: korkulugu). */
export const VERY_RARE_SENTENCE = 'Kızılcıklı köprüsünün korkuluğu sökülmüş.';

/** Relative frequency of calls by district (roughly population) … */
const DISTRICT_WEIGHT = weights(
  'osmangazi=25 yildirim=19 nilufer=14 inegol=8 gemlik=3.5 mustafakemalpasa=3 mudanya=3 ' +
    'gursu=3 karacabey=2.5 kestel=2 orhangazi=2 yenisehir=1.7 iznik=1.3 orhaneli=0.6 ' +
    'keles=0.3 buyukorhan=0.3 harmancik=0.2',
);
/** … by root topic … */
const ROOT_TOPIC_WEIGHT = weights(
  'yol=12 temizlik=14 su=10 ulasim=12 park=6 zabita=7 aydinlatma=6 hayvan=6 imar=3 ' +
    'sosyal=4 cenaze=2 trafik=5 otopark=3 kayip-esya=2 elektrik=3 dogalgaz=2 diger=3',
);
/** … by type and by channel. Codes not listed (reference data changed) weigh 1. */
const TYPE_WEIGHT = weights('sikayet=60 talep=18 bilgi=10 oneri=6 tesekkur=4 katki=2');
const CHANNEL_WEIGHT = weights('telefon=75 web=10 e-posta=4 yuz-yuze=4 cimer=4 sosyal-medya=3');
/** Mobile prefixes (Turkcell 53x, Vodafone 54x, Türk Telekom 50x/55x), weighted by share. */
const MOBILE_PREFIX_WEIGHT = weights(
  '530=5 531=3 532=9 533=6 535=6 536=4 537=3 538=3 539=2 541=3 542=6 543=5 544=4 545=3 ' +
    '546=3 547=2 505=5 506=4 507=3 501=2 551=2 552=2 553=2 554=1 555=2 559=1',
);
const MOBILE_PREFIXES = new Weighted(
  Object.keys(MOBILE_PREFIX_WEIGHT),
  (p) => MOBILE_PREFIX_WEIGHT[p] ?? 0,
);

// ---------------------------------------------------------------------------------------------
// Generator

export interface SyntheticSok {
  draft: SokDraft;
  regNo: string;
  now: Date;
  id: string;
  /** Where it was registered: BİKOM (Alo 153) mostly, otherwise the district's desk. */
  originOrg: string;
  /** The agent who registered it (one of a few dozen). */
  createdBy: string;
}

interface Citizen {
  name: string;
  phone: string;
}

/** The "Türkçe karakter yok" keyboard: what an agent types without Turkish letters. */
function asciiOnly(text: string): string {
  return text
    .replace(/İ/g, 'I')
    .replace(/ı/g, 'i')
    .replace(/[Şş]/g, (c) => (c === 'Ş' ? 'S' : 's'))
    .replace(/[Çç]/g, (c) => (c === 'Ç' ? 'C' : 'c'))
    .replace(/[Ğğ]/g, (c) => (c === 'Ğ' ? 'G' : 'g'))
    .replace(/[Öö]/g, (c) => (c === 'Ö' ? 'O' : 'o'))
    .replace(/[Üü]/g, (c) => (c === 'Ü' ? 'U' : 'u'))
    .replace(/â/g, 'a');
}

function uuidFrom(rng: Rng): string {
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += rng.int(16).toString(16);
    return s;
  };
  const variant = (8 + rng.int(4)).toString(16);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

export interface Generator {
  /** The i-th ŞÖK (0-based); call with i = 0, 1, 2 … in order. */
  next(i: number): SyntheticSok;
}

const START = Date.UTC(2023, 0, 2, 6, 0, 0);
const SPAN_MS = 3 * 365 * 24 * 3600 * 1000;

export function createGenerator(ref: ReferenceData, n: number, seed: number): Generator {
  const rng = new Rng(seed);
  const districts = new Weighted(ref.districts, (d) => DISTRICT_WEIGHT[d.code] ?? 1);
  const types = new Weighted(ref.sokTypes, (t) => TYPE_WEIGHT[t.code] ?? 1);
  const channels = new Weighted(ref.channels, (c) => CHANNEL_WEIGHT[c.code] ?? 1);
  // A ŞÖK is filed under a leaf topic; pick the root by weight, then a leaf of it uniformly.
  const roots = ref.topics.filter((t) => t.parentCode === null);
  const leavesByRoot = new Map(
    roots.map((r) => [r.code, ref.topics.filter((t) => t.parentCode === r.code)]),
  );
  const rootPick = new Weighted(roots, (r) => ROOT_TOPIC_WEIGHT[r.code] ?? 1);

  // Callers: a pool of people, some of whom call often (skewed pick), each with one number.
  const poolSize = Math.max(500, Math.floor(n * 0.6));
  const citizens = new Map<number, Citizen>();
  function citizen(k: number): Citizen {
    let c = citizens.get(k);
    if (c === undefined) {
      const r = new Rng(seed ^ Math.imul(k + 1, 0x9e3779b1));
      const names = r.chance(0.5) ? FEMALE_NAMES : MALE_NAMES;
      let first = r.skewed(names, 1.5);
      if (r.chance(0.12)) {
        const second = r.skewed(names, 1.5);
        if (second !== first) first += ` ${second}`;
      }
      const name = `${first} ${r.skewed(SURNAMES, 2)}`;
      c = { name, phone: `+90${MOBILE_PREFIXES.pick(r)}${r.int(9) + 1}${r.digits(6)}` };
      // Frequent callers are looked up again and again; everyone else is generated on demand.
      if (k < 20_000) citizens.set(k, c);
    }
    return c;
  }

  const orgCodes = new Set(ref.organisations.map((o) => o.code));
  const callCentre = ref.organisations.find((o) => o.kind === 'call-centre')?.code ?? 'bikom';
  const agentRng = new Rng(seed ^ 0x5eed);
  const agents = Array.from({ length: 60 }, () => uuidFrom(agentRng));

  const step = SPAN_MS / Math.max(1, n);

  return {
    next(i) {
      const root = rootPick.pick(rng);
      const leaves = leavesByRoot.get(root.code) ?? [];
      const topic = leaves.length > 0 ? rng.pick(leaves) : root;
      const district = districts.pick(rng);
      const type = types.pick(rng);
      const channel = channels.pick(rng);
      const who = citizen(Math.floor(Math.pow(rng.next(), 3) * poolSize));

      const mahalle = rng.skewed(MAHALLE[district.code] ?? GENERIC_MAHALLE, 1.5);
      let address = '';
      const a = rng.next();
      // Agents write address words in full or abbreviated (Sokak, Sk., Sok., Sokağı …).
      if (a < 0.6) {
        address = `${rng.skewed(STREETS, 1.3)} ${rng.skewed(STREET_WORDS, 1.5)} No: ${1 + rng.int(80)}`;
        if (rng.chance(0.5)) address += ` D: ${1 + rng.int(20)}`;
      } else if (a < 0.85) {
        address = `${rng.pick(AVENUES)} ${rng.skewed(AVENUE_WORDS, 1.5)} No: ${1 + rng.int(300)}`;
      }

      const problems = PROBLEMS[root.code] ?? PROBLEMS.diger ?? [];
      const parts = [
        rng.pick(OPENINGS),
        `${rng.pick(PLACES)} ${rng.pick(problems)}`,
        rng.pick(DURATIONS),
      ];
      if (rng.chance(0.25)) parts.push(`${rng.pick(PLACES)} ${rng.pick(problems)}`);
      if (rng.chance(1 / 2000)) parts.push(RARE_SENTENCE);
      if (rng.chance(1 / 100_000)) parts.push(VERY_RARE_SENTENCE);
      parts.push(rng.pick(REQUESTS));
      let description = parts.filter((p) => p !== '').join(' ');
      let citizenName = who.name;

      // How agents type: ~10% without Turkish letters, ~5% in capitals (Turkish upper-casing).
      const style = rng.next();
      if (style < 0.1) {
        description = asciiOnly(description);
        citizenName = asciiOnly(citizenName);
      } else if (style < 0.15) {
        description = description.toLocaleUpperCase('tr-TR');
        citizenName = citizenName.toLocaleUpperCase('tr-TR');
      }

      const desk = `ilce.${district.code}`;
      const originOrg = rng.chance(0.2) && orgCodes.has(desk) ? desk : callCentre;
      const at = START + i * step + rng.next() * step * 0.9;
      return {
        id: uuidFrom(rng),
        originOrg,
        createdBy: rng.skewed(agents, 1.3),
        regNo: formatRegNo(i + 1),
        now: new Date(at),
        draft: {
          typeCode: type.code,
          channelCode: channel.code,
          topicCode: topic.code,
          districtCode: district.code,
          mahalle,
          address,
          description,
          citizenName,
          citizenPhone: who.phone,
          citizenEmail: '',
          preferredContact: 'telefon',
          latitude: null,
          longitude: null,
          kvkkNoticeGiven: true,
          smsConsent: false,
          targetOrg: null,
          routeReason: '',
        },
      };
    },
  };
}
