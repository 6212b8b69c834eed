import type { Role } from '../db/schema';

/**
 * The demo's people (README "The first five minutes"). Every account has the same documented
 * password: a demo server is for trying the product on one machine, never for real citizens.
 */
export const DEMO_PASSWORD = 'demo-parola-153';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  orgCode: string;
}

/** The first administrator, created through /setup/admin like on any new installation. */
export const DEMO_ADMIN: DemoAccount = {
  username: 'yonetici',
  displayName: 'Serap Aksoy',
  role: 'admin',
  orgCode: 'bikom',
};

/** Created by the administrator through /admin/users. */
export const DEMO_USERS: readonly DemoAccount[] = [
  { username: 'bikom.sup', displayName: 'Elif Demir', role: 'supervisor', orgCode: 'bikom' },
  { username: 'temsilci1', displayName: 'Ahmet Yılmaz', role: 'agent', orgCode: 'bikom' },
  { username: 'temsilci2', displayName: 'Zeynep Kaya', role: 'agent', orgCode: 'bikom' },
  { username: 'temsilci3', displayName: 'Mehmet Çelik', role: 'agent', orgCode: 'bikom' },
  { username: 'nilufer.masa', displayName: 'Ayşe Şahin', role: 'desk', orgCode: 'ilce.nilufer' },
  { username: 'nilufer.masa2', displayName: 'Burak Öztürk', role: 'desk', orgCode: 'ilce.nilufer' },
  {
    username: 'nilufer.sup',
    displayName: 'Gülay Arslan',
    role: 'supervisor',
    orgCode: 'ilce.nilufer',
  },
  {
    username: 'osmangazi.masa',
    displayName: 'Hakan Doğan',
    role: 'desk',
    orgCode: 'ilce.osmangazi',
  },
  {
    username: 'osmangazi.sup',
    displayName: 'Selin Kılıç',
    role: 'supervisor',
    orgCode: 'ilce.osmangazi',
  },
  { username: 'fen.masa', displayName: 'Murat Aydın', role: 'desk', orgCode: 'bb.fen-isleri' },
  { username: 'fen.sup', displayName: 'Nur Yıldız', role: 'supervisor', orgCode: 'bb.fen-isleri' },
  { username: 'park.masa', displayName: 'Emre Koç', role: 'desk', orgCode: 'bb.park-bahceler' },
  {
    username: 'park.sup',
    displayName: 'Derya Polat',
    role: 'supervisor',
    orgCode: 'bb.park-bahceler',
  },
];

/** The organisations whose staff act in the demo, with the mailboxes the admin sets. */
export const DEMO_ORGS: Readonly<Record<string, string>> = {
  bikom: 'bikom@demo.alo153.invalid',
  'ilce.nilufer': 'hizmetmasasi@nilufer.demo.invalid',
  'ilce.osmangazi': 'hizmetmasasi@osmangazi.demo.invalid',
  'bb.fen-isleri': 'fenisleri@demo.alo153.invalid',
  'bb.park-bahceler': 'parkbahceler@demo.alo153.invalid',
};
