import {
  aWeighedWirePosition,
  aWirePosition,
  orderCreatedBody,
  statusBody,
  type WirePositionJson,
} from '@domino-sm/testkit'

/** Where a body template holds its order key; replaced per request so that every `order.created` is a new order. */
export const KEY = '__KEY__'

const CUSTOMERS = [
  { name: 'Иван Петров', phone: '+79031234567', email: 'ivan@example.ru' },
  { name: 'Анна Сергеевна Кузнецова', phone: '+79165550101', email: 'anna.kuznetsova@example.ru' },
  { name: 'Мария Ильинична Смирнова-Орлова', phone: '+79261112233' },
  { name: 'Ёжиков Фёдор', phone: '+79037778899', email: 'fedor@пример.рф' },
]
const ADDRESSES = [
  {
    full_address: 'г. Москва, ул. Тверская, д. 1, кв. 10',
    city: 'Москва',
    street: 'ул. Тверская',
    building: '1',
    apartment: '10',
    floor: '3',
    entrance: '1',
    door_phone: '10К1234',
    lat: '55.757',
    lon: '37.615',
    delivery_to_door: true,
  },
  {
    full_address: 'г. Санкт-Петербург, Невский пр-т, д. 28, кв. 7',
    city: 'Санкт-Петербург',
    street: 'Невский проспект',
    building: '28',
    apartment: '7',
    floor: '5',
    lat: '59.935',
    lon: '30.325',
    delivery_to_door: false,
  },
]
const PRODUCTS = [
  'Молоко Домик в деревне 3,2% 950 г',
  'Хлеб Бородинский нарезка 400 г',
  'Сыр Российский фасованный 200 г',
  'Гречка ядрица Мистраль 900 г',
  'Кефир Простоквашино 1% 930 мл',
  'Бананы весовые',
]

/** Position `i` of an order: piece goods with decimal-string prices, every third one weighed (fractional quantity). */
const position = (i: number): WirePositionJson =>
  i % 3 === 2
    ? aWeighedWirePosition({
        id: `20000004567${String(i).padStart(2, '0')}`,
        name: PRODUCTS[i % PRODUCTS.length] ?? 'Товар',
      })
    : aWirePosition({
        id: `46070017712${String(i).padStart(2, '0')}`,
        name: PRODUCTS[i % PRODUCTS.length] ?? 'Товар',
        quantity: 1 + (i % 4),
        price: `${99 + i * 7}.90`,
      })

/**
 * Bodies of `order.created` as SberMarket sends them: every documented field, Cyrillic customer data, 2 to 5
 * positions (about 1.2 to 2 KB, 1.5 KB on average), with `KEY` where the order key goes.
 */
export const CREATED_TEMPLATES: readonly string[] = Array.from({ length: 16 }, (_, n) => {
  const count = 2 + (n % 4)
  return orderCreatedBody({
    originalOrderId: KEY,
    customer: CUSTOMERS[n % CUSTOMERS.length],
    address: ADDRESSES[n % ADDRESSES.length],
    comment: n % 2 === 0 ? 'Позвоните за 15 минут, домофон не работает' : 'Оставить у двери',
    positions: Array.from({ length: count }, (_, i) => position(n + i)),
  }).body
})

/** The `n`th unique created body: template `n mod 16` with the key `prefix-n`. */
export const uniqueCreatedBody = (prefix: string, n: number): string =>
  (CREATED_TEMPLATES[n % CREATED_TEMPLATES.length] ?? '').replace(KEY, `${prefix}-${n}`)

export { statusBody }
