/**
 * Staff of the generated network: department.get tree (company → one department per city,
 * plus the contact center and marketing) and user.get rows, with the hidden traits that
 * shape each manager's figures (skill, speed of first touch, hire and dismissal dates).
 */
import type { DepartmentRow, UserRow } from '../b24/wire'
import { CITIES } from './gen-catalog'
import { Random } from './gen-random'
import { DAY, wireDate } from './gen-time'

export interface StaffMember {
  id: number
  /** Index into CITIES, or -1 for the contact center / head office. */
  city: number
  kind: 'director' | 'manager' | 'operator' | 'marketing'
  /** Multiplies stage conversions of the manager's deals. */
  skill: number
  /** Median minutes from a new deal to the manager's first touch. */
  firstTouchMinutes: number
  hiredAt: number
  /** Dismissed (ACTIVE false) from this instant; Infinity while employed. */
  firedAt: number
}

export interface Staff {
  departments: DepartmentRow[]
  users: UserRow[]
  members: StaffMember[]
  /** Managers of each city (indexes into members). */
  byCity: StaffMember[][]
  operators: StaffMember[]
  /** User ids that own a few deals but no longer exist in user.get (deleted accounts). */
  deletedUserIds: number[]
  contactCenterDepartmentId: number
}

const MALE_NAMES = [
  'Алексей',
  'Дмитрий',
  'Иван',
  'Сергей',
  'Андрей',
  'Михаил',
  'Артём',
  'Никита',
  'Павел',
  'Роман',
  'Егор',
  'Кирилл',
  'Максим',
  'Олег',
  'Виктор',
  'Денис',
]
const FEMALE_NAMES = [
  'Анна',
  'Мария',
  'Елена',
  'Ольга',
  'Наталья',
  'Татьяна',
  'Екатерина',
  'Ирина',
  'Юлия',
  'Светлана',
  'Дарья',
  'Ксения',
  'Алина',
  'Виктория',
  'Полина',
  'Вера',
]
const SURNAMES = [
  'Иванов',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Петров',
  'Соколов',
  'Михайлов',
  'Новиков',
  'Фёдоров',
  'Морозов',
  'Волков',
  'Алексеев',
  'Лебедев',
  'Семёнов',
  'Егоров',
  'Павлов',
  'Козлов',
  'Степанов',
  'Николаев',
  'Орлов',
  'Андреев',
  'Макаров',
  'Никитин',
  'Захаров',
  'Зайцев',
  'Соловьёв',
  'Борисов',
  'Яковлев',
  'Григорьев',
]
const MALE_PATRONYMICS = ['Александрович', 'Сергеевич', 'Игоревич', 'Викторович', 'Андреевич']
const FEMALE_PATRONYMICS = ['Александровна', 'Сергеевна', 'Игоревна', 'Викторовна', 'Андреевна']

export const COMPANY_NAME = 'Horizon Education'

export function buildStaff(random: Random, start: number, now: number): Staff {
  const departments: DepartmentRow[] = [{ ID: '1', NAME: COMPANY_NAME, SORT: 500 }]
  const users: UserRow[] = []
  const members: StaffMember[] = []
  const byCity: StaffMember[][] = CITIES.map(() => [])
  const operators: StaffMember[] = []
  let nextUserId = 1

  const addUser = (kind: StaffMember['kind'], city: number, departmentId: number, position: string): StaffMember => {
    const id = nextUserId++
    const female = random.chance(0.55)
    const surname = random.pick(SURNAMES)
    // Most staff predate the generated history; some were hired during it, a few left.
    const hiredAt = random.chance(0.85)
      ? start - random.int(30, 1500) * DAY
      : start + random.between(0.05, 0.8) * (now - start)
    const member: StaffMember = {
      id,
      city,
      kind,
      skill: kind === 'manager' ? clamp(random.logNormal(1, 0.14), 0.72, 1.3) : 1,
      firstTouchMinutes: random.logNormal(kind === 'operator' ? 6 : 35, 0.9),
      hiredAt,
      firedAt: Infinity,
    }
    members.push(member)
    const cityName = city >= 0 ? CITIES[city].name : 'Москва'
    users.push({
      ID: String(id),
      ACTIVE: true,
      NAME: female ? random.pick(FEMALE_NAMES) : random.pick(MALE_NAMES),
      LAST_NAME: female ? surname + 'а' : surname,
      SECOND_NAME: female ? random.pick(FEMALE_PATRONYMICS) : random.pick(MALE_PATRONYMICS),
      EMAIL: `user${id}@horizon-edu.example`,
      WORK_POSITION: position,
      PERSONAL_CITY: cityName,
      WORK_CITY: cityName,
      TIME_ZONE: '',
      UF_DEPARTMENT: [departmentId],
      USER_TYPE: 'employee',
      IS_ONLINE: random.chance(0.2) ? 'Y' : 'N',
      DATE_REGISTER: wireDate(Math.min(hiredAt, now)),
    })
    return member
  }

  addUser('director', -1, 1, 'Managing director')
  CITIES.forEach((city, index) => {
    const departmentId = departments.length + 1
    const department: DepartmentRow = { ID: String(departmentId), NAME: city.name, SORT: 500, PARENT: '1' }
    departments.push(department)
    for (let k = 0; k < city.managers; k++) {
      const member = addUser('manager', index, departmentId, k === 0 ? 'Branch head' : 'Sales manager')
      if (k === 0) department.UF_HEAD = String(member.id)
      byCity[index].push(member)
    }
  })
  const contactCenterDepartmentId = departments.length + 1
  departments.push({ ID: String(contactCenterDepartmentId), NAME: 'Contact center', SORT: 600, PARENT: '1' })
  for (let k = 0; k < 6; k++)
    operators.push(addUser('operator', -1, contactCenterDepartmentId, 'Contact center operator'))
  const marketingId = departments.length + 1
  departments.push({ ID: String(marketingId), NAME: 'Marketing', SORT: 700, PARENT: '1' })
  addUser('marketing', -1, marketingId, 'Marketing manager')

  dismissSome(random, byCity, users, start, now)
  return { departments, users, members, byCity, operators, deletedUserIds: [9001, 9002], contactCenterDepartmentId }
}

/** Five managers left during the history: ACTIVE false, their old deals stay theirs. */
function dismissSome(random: Random, byCity: StaffMember[][], users: UserRow[], start: number, now: number): void {
  const candidates = byCity.filter((list) => list.length >= 3).map((list) => list[list.length - 1])
  for (let k = 0; k < 5 && candidates.length > 0; k++) {
    const member = candidates.splice(random.int(0, candidates.length - 1), 1)[0]
    member.hiredAt = Math.min(member.hiredAt, start - 200 * DAY)
    member.firedAt = start + random.between(0.3, 0.85) * (now - start)
    const user = users[member.id - 1]
    user.ACTIVE = false
    user.IS_ONLINE = 'N'
    user.DATE_REGISTER = wireDate(member.hiredAt)
  }
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x))
}
