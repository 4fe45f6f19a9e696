/**
 * A small, deterministic CRM world (reps, contacts, companies, opportunities) and the Morph
 * snapshots of its engagements. Shared by `npm run simulate` (through the webhook) and
 * `npm run seed:bulk` (straight into SQLite), so both produce the same kind of data.
 */

/** mulberry32: a tiny seeded PRNG, so `--seed` reproduces the same traffic. */
export function createRng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    /** Skewed pick: low indexes come up more often, like a few reps doing most of the work. */
    skewed: <T>(items: readonly T[]): T => items[Math.floor(next() ** 1.6 * items.length)]!,
  };
}
export type Rng = ReturnType<typeof createRng>;

// prettier-ignore
const FIRST_NAMES = [
  "Dana", "Marco", "Priya", "Tomás", "Aisha", "Jonas", "Mei", "Lucas", "Sofia", "Kwame",
  "Hannah", "Ravi", "Elena", "Mateo", "Chloé", "Oliver", "Yuki", "Amara", "Noah", "Ingrid",
  "Diego", "Fatima", "Liam", "Zara", "Felix", "Nadia", "Samuel", "Leila", "Erik", "Ana",
  "Hugo", "Maya", "Arjun", "Clara", "Kenji", "Olga", "Pedro", "Sara", "Tobias", "Yara",
  "Bruno", "Lena", "Omar", "Greta", "Ivan", "Rosa", "Theo", "Nora", "Emeka", "Julia",
] as const;
// prettier-ignore
const LAST_NAMES = [
  "Whitfield", "Ibáñez", "Natarajan", "Okafor", "Schneider", "Tanaka", "Rossi", "Novak",
  "Haddad", "Larsen", "Moreau", "Kowalski", "Fernández", "Brennan", "Chen", "Mensah",
  "Lindqvist", "Patel", "Dubois", "García", "Nakamura", "O'Brien", "Petrov", "Silva",
  "Müller", "Andersen", "Costa", "Jansen", "Yilmaz", "Kim", "Bauer", "Santos", "Walsh",
  "Fischer", "Romano", "Hughes", "Ortiz", "Weber", "Nowak", "Abbott", "Reyes", "Sato",
  "Keller", "Doyle", "Varga", "Rahman", "Lund", "Marsh", "Quinn", "Voss",
] as const;
// prettier-ignore
const COMPANY_FIRST = [
  "Acme", "Northwind", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay",
  "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Gringotts", "Oscorp", "Aperture", "Blue Harbor",
  "Redwood", "Silverline", "Granite", "Pioneer", "Summit", "Evergreen", "Harbor", "Keystone",
  "Lighthouse", "Meridian", "Nimbus", "Orion", "Polaris", "Quantum", "Riverbend", "Sterling",
  "Trident", "Vertex", "Willow", "Zenith", "Atlas", "Beacon", "Cobalt", "Delta", "Falcon",
  "Helix", "Ironwood", "Juniper", "Kestrel", "Lumen", "Mosaic", "Nova", "Onyx",
] as const;
// prettier-ignore
const COMPANY_SECOND = [
  "Logistics", "Foods", "Health", "Analytics", "Robotics", "Energy", "Media", "Freight",
  "Labs", "Capital", "Retail", "Pharma", "Systems", "Networks", "Studios", "Motors",
  "Insurance", "Textiles", "Aerospace", "Hospitality", "Software", "Materials", "Biotech",
  "Telecom", "Farms", "Outfitters", "Security", "Dynamics", "Partners", "Works",
] as const;
const COMPANY_SUFFIX = ["", " Inc.", " GmbH", " S.L.", " Ltd", " Group", " AG", " SAS"] as const;
const DOMAINS_TLD = ["example", "example.com", "example.org"] as const;
const STAGES = ["qualification", "discovery", "proposal", "negotiation", "closedWon", "closedLost"];
const DEALS = [
  "Enterprise renewal",
  "Pilot",
  "Expansion",
  "New business",
  "Add-on seats",
  "Platform migration",
];
const CURRENCIES = ["EUR", "USD", "GBP"] as const;

export const ENGAGEMENT_TYPES = ["call", "meeting", "email", "task", "note"] as const;
export type SimType = (typeof ENGAGEMENT_TYPES)[number];

export type Person = {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
};
export type Company = { id: string; name: string; domain: string };
export type Contact = Person & { companyIndex: number };
export type Opportunity = {
  id: string;
  name: string;
  amount: number;
  currency: string;
  stage: string;
  pipeline: string;
  ownerIndex: number;
  companyIndex: number;
};
export type World = {
  users: Person[];
  companies: Company[];
  contacts: Contact[];
  opportunities: Opportunity[];
  /** Contacts and opportunities per company, so an engagement's refs hang together. */
  contactsByCompany: number[][];
  opportunitiesByCompany: number[][];
};

export type WorldSize = {
  users: number;
  contacts: number;
  companies: number;
  opportunities: number;
};

function slug(text: string) {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

export function createWorld(rng: Rng, size: WorldSize): World {
  const users: Person[] = [];
  for (let i = 0; i < size.users; i++) {
    const firstName = FIRST_NAMES[(i * 7) % FIRST_NAMES.length]!;
    const lastName = LAST_NAMES[(i * 11 + 3) % LAST_NAMES.length]!;
    users.push({
      id: String(501 + i),
      firstName,
      lastName,
      email: `${slug(firstName)}.${slug(lastName)}${i >= FIRST_NAMES.length ? i : ""}@seller.example`,
    });
  }
  const companies: Company[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < size.companies; i++) {
    let name = "";
    for (let attempt = 0; attempt < 20; attempt++) {
      name = `${rng.pick(COMPANY_FIRST)} ${rng.pick(COMPANY_SECOND)}${rng.pick(COMPANY_SUFFIX)}`;
      if (!seen.has(name)) break;
    }
    if (seen.has(name)) name = `${name} ${i}`;
    seen.add(name);
    const base = slug(name.replace(/ (Inc\.|GmbH|S\.L\.|Ltd|Group|AG|SAS)$/, ""));
    companies.push({ id: String(7001 + i), name, domain: `${base}.${rng.pick(DOMAINS_TLD)}` });
  }
  const contacts: Contact[] = [];
  const contactsByCompany: number[][] = companies.map(() => []);
  for (let i = 0; i < size.contacts; i++) {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    // Every company gets a contact before any gets a second one.
    const companyIndex = i < companies.length ? i : rng.int(0, companies.length - 1);
    const company = companies[companyIndex]!;
    contactsByCompany[companyIndex]!.push(i);
    contacts.push({
      id: String(9001 + i),
      firstName,
      lastName,
      email: `${slug(firstName)}.${slug(lastName)}${i}@${company.domain}`,
      phone: `+${rng.pick(["34", "44", "49", "1", "33"])} ${rng.int(200, 999)} ${rng.int(100, 999)} ${String(i % 1000).padStart(3, "0")}`,
      companyIndex,
    });
  }
  const opportunities: Opportunity[] = [];
  const opportunitiesByCompany: number[][] = companies.map(() => []);
  for (let i = 0; i < size.opportunities; i++) {
    const companyIndex = rng.int(0, companies.length - 1);
    opportunitiesByCompany[companyIndex]!.push(i);
    const company = companies[companyIndex]!;
    opportunities.push({
      id: String(4401 + i),
      name: `${company.name.split(" ")[0]} — ${rng.pick(DEALS)}`,
      amount: rng.int(5, 400) * 500,
      currency: rng.pick(CURRENCIES),
      stage: rng.pick(STAGES),
      pipeline: rng.chance(0.8) ? "default" : "partners",
      ownerIndex: rng.int(0, users.length - 1),
      companyIndex,
    });
  }
  return { users, companies, contacts, opportunities, contactsByCompany, opportunitiesByCompany };
}

export type MorphRef = { object: "resourceRef"; model: string; id: string };
const ref = (model: string, id: string): MorphRef => ({ object: "resourceRef", model, id });

type Envelope = {
  event: string;
  data: {
    object: "resource";
    model: string;
    id: string;
    fields?: Record<string, unknown>;
    createdAt: string;
    updatedAt: string;
    rawResource: null;
    warnings: unknown[];
  };
};

function envelope(
  model: string,
  action: "created" | "updated" | "deleted",
  id: string,
  fields: Record<string, unknown> | undefined,
  createdAt: number,
  updatedAt: number,
): Envelope {
  const data: Envelope["data"] = {
    object: "resource",
    model,
    id,
    ...(fields ? { fields } : {}),
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
    rawResource: null,
    warnings: [],
  };
  return { event: `${model}::${action}`, data };
}

export function userFields(user: Person) {
  return { firstName: user.firstName, lastName: user.lastName, email: user.email };
}
export function contactFields(contact: Contact) {
  return {
    firstName: contact.firstName,
    lastName: contact.lastName,
    email: contact.email,
    phone: contact.phone,
  };
}
export function companyFields(company: Company) {
  return { name: company.name };
}
export function opportunityFields(world: World, opportunity: Opportunity) {
  const contacts = world.contactsByCompany[opportunity.companyIndex]!.slice(0, 2);
  return {
    name: opportunity.name,
    amount: opportunity.amount,
    currency: opportunity.currency,
    stage: opportunity.stage,
    pipeline: opportunity.pipeline,
    owner: ref("genericUser", world.users[opportunity.ownerIndex]!.id),
    companies: [ref("genericCompany", world.companies[opportunity.companyIndex]!.id)],
    contacts: contacts.map((i) => ref("genericContact", world.contacts[i]!.id)),
  };
}

/** The events that create every record of the world, users first. */
export function recordEvents(world: World, createdAt: number) {
  const at = (offset: number) => createdAt + offset * 1000;
  return {
    users: world.users.map((u, i) =>
      envelope("genericUser", "created", u.id, userFields(u), at(i), at(i)),
    ),
    contacts: world.contacts.map((c, i) =>
      envelope("genericContact", "created", c.id, contactFields(c), at(i), at(i)),
    ),
    companies: world.companies.map((c, i) =>
      envelope("genericCompany", "created", c.id, companyFields(c), at(i), at(i)),
    ),
    opportunities: world.opportunities.map((o, i) =>
      envelope("crmOpportunity", "created", o.id, opportunityFields(world, o), at(i), at(i)),
    ),
  };
}

const TITLES: Record<SimType, readonly string[]> = {
  call: [
    "Discovery call",
    "Pricing follow-up",
    "Check-in call with {contact}",
    "Renewal call",
    "Demo recap",
    "Intro call: {company}",
    "Reference call",
    "Budget confirmation",
  ],
  meeting: [
    "Quarterly business review",
    "Security review with IT",
    "Onsite demo at {company}",
    "Kickoff: {deal}",
    "Procurement sync",
    "Executive alignment with {contact}",
    "Implementation planning",
  ],
  email: [
    "Re: order form",
    "Proposal for {company}",
    "Intro: {contact} <> {rep}",
    "Re: pricing question",
    "Following up on our call",
    "Updated quote for {deal}",
    "Re: security questionnaire",
  ],
  task: [
    "Send contract to {contact}",
    "Prepare QBR deck for {company}",
    "Follow up on security questionnaire",
    "Update forecast for {deal}",
    "Book onsite visit",
    "Chase signature",
  ],
  note: [
    "Notes from call with {contact}",
    "Champion update",
    "Competitive intel: {company}",
    "Account plan notes",
    "Risk: budget freeze at {company}",
  ],
};

const SENTENCES = [
  "The customer wants a security review before signing.",
  "Walked through the enterprise tier and the pricing for extra seats.",
  "They asked for a customer reference in their industry.",
  "Procurement needs the order form by the end of the month.",
  "Champion is keen, but the CFO is cautious about the budget.",
  "Agenda: SSO, data residency, audit logs.",
  "Sent the updated quote with a two-year term.",
  "The customer is comparing us with two competitors.",
  "Agreed next steps and a follow-up date.",
  "IT raised questions about the API rate limits.",
  "Looks good, sending it to procurement today.",
  "Renewal is at risk unless onboarding improves.",
  "The pilot went well; the customer wants to expand to two more teams.",
  "Asked for a discount in exchange for a case study.",
  "Legal is reviewing the data processing agreement.",
  "No answer; left a voicemail.",
  "Shared the implementation timeline and the training plan.",
  "The customer success team will join the next call.",
];
/** Rare on purpose: a term the full-text benchmark can search for. */
const RARE_SENTENCE = "Legal flagged the indemnity clause for escalation.";
export const FREQUENT_TERM = "customer";
export const RARE_TERM = "indemnity";

export type EngagementSpec = {
  id: string;
  type: string;
  startedAt: number;
  /** Engagements in the future are planned; past ones mostly completed. */
  now: number;
};

export type EngagementSnapshot = {
  fields: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
};

function fill(template: string, values: Record<string, string>) {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? key);
}

/** A realistic engagement snapshot: who, with whom, about what. */
export function engagementSnapshot(
  rng: Rng,
  world: World,
  spec: EngagementSpec,
  options: { expandContact?: boolean } = {},
): EngagementSnapshot {
  const type = spec.type as SimType;
  const ownerIndex = world.users.indexOf(rng.skewed(world.users));
  const owner = world.users[ownerIndex]!;
  const companyIndex = rng.int(0, world.companies.length - 1);
  const company = world.companies[companyIndex]!;
  const companyContacts = world.contactsByCompany[companyIndex]!;
  const contactCount = Math.min(companyContacts.length, rng.chance(0.7) ? 1 : rng.int(2, 3));
  const contactIndexes = new Set<number>();
  while (contactIndexes.size < contactCount) contactIndexes.add(rng.pick(companyContacts));
  const contacts = [...contactIndexes].map((i) => world.contacts[i]!);
  const companyDeals = world.opportunitiesByCompany[companyIndex]!;
  const deal =
    companyDeals.length > 0 && rng.chance(0.6)
      ? world.opportunities[rng.pick(companyDeals)]
      : undefined;
  const users = [ref("genericUser", owner.id)];
  if (type === "meeting" && rng.chance(0.4)) {
    const colleague = rng.pick(world.users);
    if (colleague.id !== owner.id) users.push(ref("genericUser", colleague.id));
  }

  const names = {
    contact: contacts[0] ? `${contacts[0].firstName} ${contacts[0].lastName}` : "the team",
    company: company.name,
    deal: deal?.name ?? company.name,
    rep: owner.firstName,
  };
  const sentences = new Set<string>();
  const sentenceCount = type === "task" ? 1 : rng.int(1, 3);
  while (sentences.size < sentenceCount) sentences.add(rng.pick(SENTENCES));
  if (rng.chance(0.001)) sentences.add(RARE_SENTENCE);

  const future = spec.startedAt > spec.now;
  const fields: Record<string, unknown> = {
    type: spec.type,
    title: fill(rng.pick(TITLES[type] ?? TITLES.note), names),
    description: [...sentences].join(" "),
    startedAt: new Date(spec.startedAt).toISOString(),
  };
  let duration: number | undefined;
  if (type === "call") {
    fields.direction = rng.chance(0.65) ? "outbound" : "inbound";
    fields.status = future ? "planned" : rng.chance(0.08) ? "canceled" : "completed";
    duration = rng.chance(0.15) ? rng.int(15, 60) : rng.int(180, 2700);
  } else if (type === "meeting") {
    fields.status = future ? "planned" : rng.chance(0.1) ? "canceled" : "completed";
    duration = rng.pick([1800, 2700, 3600, 5400]);
  } else if (type === "email") {
    fields.direction = rng.chance(0.55) ? "outbound" : "inbound";
    fields.status = "completed";
  } else if (type === "task") {
    fields.status = future
      ? rng.chance(0.8)
        ? "planned"
        : "inProgress"
      : rng.pick(["completed", "completed", "completed", "inProgress", "canceled"]);
  }
  if (duration !== undefined) {
    fields.endedAt = new Date(spec.startedAt + duration * 1000).toISOString();
    fields.duration = duration;
  }
  fields.owner = ref("genericUser", owner.id);
  fields.users = users;
  fields.companies = [ref("genericCompany", company.id)];
  fields.contacts = contacts.map((c, i) =>
    options.expandContact && i === 0
      ? {
          object: "resource",
          model: "genericContact",
          id: c.id,
          fields: contactFields(c),
          createdAt: new Date(spec.now - 90 * 86_400_000).toISOString(),
          updatedAt: new Date(spec.now - 30 * 86_400_000).toISOString(),
        }
      : ref("genericContact", c.id),
  );
  if (deal) fields.opportunities = [ref("crmOpportunity", deal.id)];

  // Morph's updatedAt: shortly after the activity (or when it was scheduled, for future ones).
  const createdAt = future ? spec.now - rng.int(1, 14) * 86_400_000 : spec.startedAt;
  const updatedAt = Math.min(
    spec.now,
    createdAt + (duration ?? 0) * 1000 + rng.int(60, 7200) * 1000,
  );
  return { fields, createdAt, updatedAt: Math.max(updatedAt, createdAt) };
}

/** Work-hours start times: weekdays, 8:00–18:00 UTC, spread over `days` before `now`. */
export function workdayTime(rng: Rng, now: number, days: number, futureShare = 0) {
  const dayMs = 86_400_000;
  for (;;) {
    const offsetDays = rng.chance(futureShare) ? -rng.int(1, 14) : rng.int(0, days - 1);
    const day = Math.floor(now / dayMs) * dayMs - offsetDays * dayMs;
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const t = day + rng.int(8 * 60, 18 * 60 - 1) * 60_000 + rng.int(0, 59) * 1000;
    if (offsetDays === 0 && t > now) continue;
    return t;
  }
}

/** Calls and emails dominate a sales team's activity. */
export function pickType(rng: Rng): SimType {
  const r = rng.next();
  if (r < 0.32) return "call";
  if (r < 0.62) return "email";
  if (r < 0.77) return "meeting";
  if (r < 0.9) return "task";
  return "note";
}

export const morphEnvelope = envelope;
