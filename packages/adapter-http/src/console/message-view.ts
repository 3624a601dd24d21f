import { html, type Html } from './html.js'

export const signInView = (next: string, problem: string | undefined): Html =>
  html`${problem === undefined ? '' : html`<p class="error" role="alert">${problem}</p>`}
    <form method="post" action="/console/sign-in" class="sign-in">
      <input type="hidden" name="next" value="${next}" />
      <label for="token">Токен оператора (OPERATOR_TOKENS) или ADMIN_TOKEN для чтения</label>
      <input id="token" name="token" type="password" required autocomplete="current-password" autofocus />
      <button type="submit">Войти</button>
    </form>`

export const messageView = (lines: readonly string[], back?: string): Html =>
  html`${lines.map((l) => html`<p>${l}</p>`)}${back === undefined ? '' : html`<p><a href="${back}">Вернуться</a></p>`}`
