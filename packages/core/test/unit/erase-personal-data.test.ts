import { expect } from 'chai'
import { eraseFromBody, eraseFromOrder, holdsPersonalData, type Order } from '@domino-sm/core'

const body = JSON.stringify({
  event_type: 'order.created',
  payload: {
    originalOrderId: 'H1',
    customer: { name: 'Иван Петров', phone: '+79031234567', email: 'ivan@example.ru' },
    address: { full_address: 'г. Москва, ул. Тверская, д. 1', lat: '55.7' },
    positions: [{ id: 'A', name: 'Молоко', quantity: 1, price: '65' }],
    comment: 'у двери',
  },
})

describe('erasure of personal data', () => {
  it('drops the customer and address groups of a body, wherever they are, and keeps everything else', () => {
    const erased = eraseFromBody(body)
    expect(erased).to.not.equal(null)
    expect(JSON.parse(erased ?? '')).to.deep.equal({
      event_type: 'order.created',
      payload: {
        originalOrderId: 'H1',
        positions: [{ id: 'A', name: 'Молоко', quantity: 1, price: '65' }],
        comment: 'у двери',
      },
    })
    expect(eraseFromBody(JSON.stringify([{ customer: { name: 'x' } }, { a: { address: 'y', b: 1 } }]))).to.equal(
      '[{},{"a":{"b":1}}]',
    )
  })

  it('drops a body that is not JSON whole, since nothing in it can be found', () => {
    expect(eraseFromBody('name=Иван&phone=+7903')).to.equal(null)
    expect(holdsPersonalData('name=Иван')).to.equal(true)
  })

  it('says which bodies hold personal data: those with a customer or address group, at any depth', () => {
    expect(holdsPersonalData(body)).to.equal(true)
    expect(
      holdsPersonalData(JSON.stringify({ event_type: 'order.paid', payload: { originalOrderId: 'H1' } })),
    ).to.equal(false)
    expect(holdsPersonalData(eraseFromBody(body) ?? '')).to.equal(false)
  })

  it('erases an order: content, payload and the change kept for review; keeps key, number, status, lines, times', () => {
    const order: Order = {
      originalOrderId: 'H1' as Order['originalOrderId'],
      number: '1000001' as Order['number'],
      status: 'paid',
      content: {
        customer: { name: 'Иван Петров', phone: '+79031234567' },
        address: { city: 'Москва', street: 'ул. Тверская' },
        paymentMethods: ['card_online'],
        positions: [],
        comment: 'у двери',
      },
      payloadJson: JSON.stringify((JSON.parse(body) as { payload: unknown }).payload),
      review: { reasons: ['price'], markedAt: new Date(1), unappliedChangeJson: body },
      createdAt: new Date(1),
      updatedAt: new Date(2),
    }
    const erased = eraseFromOrder(order)
    expect(erased.content).to.deep.equal({ paymentMethods: ['card_online'], positions: [], comment: 'у двери' })
    expect(erased.payloadJson).to.not.contain('Иван').and.not.contain('Тверская')
    expect(erased.review?.unappliedChangeJson).to.not.contain('+79031234567')
    expect(erased.review?.reasons).to.deep.equal(['price'])
    expect([erased.originalOrderId, erased.number, erased.status, erased.createdAt, erased.updatedAt]).to.deep.equal([
      order.originalOrderId,
      order.number,
      order.status,
      order.createdAt,
      order.updatedAt,
    ])
  })
})
