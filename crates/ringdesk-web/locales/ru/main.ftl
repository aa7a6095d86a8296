# Тексты интерфейса Ringdesk, русский.

app-name = Ringdesk
skip-to-content = Перейти к содержимому

## Sign-in
sign-in-title = Вход в Ringdesk
email = Эл. почта
password = Пароль
sign-in-button = Войти
wrong-email-or-password = Неверная эл. почта или пароль.
too-many-attempts = Слишком много неудачных попыток входа. Повторите через { $minutes } мин.
form-unreadable = Не удалось прочитать форму; отправьте её ещё раз.
no-account-yet = Ещё нет учётной записи?
sign-up-link = Зарегистрируйте компанию

## Sign-up
sign-up-title = Регистрация компании
sign-up-closed = Регистрация на этой установке закрыта. Попросите учётную запись у администратора или войдите.
have-account = Уже есть учётная запись?
sign-in-link = Войти
company-name = Название компании
country = Страна
time-zone = Часовой пояс
locale = Язык
owner-name = Ваше имя
sign-up-button = Создать компанию
choose = Выберите…
field-company_name = Укажите название компании (до 200 символов).
field-country = Выберите страну, к которой относятся телефонные номера компании.
field-time_zone = Выберите часовой пояс из списка (например, Europe/Kyiv).
field-locale = Выберите один из четырёх языков.
field-owner_name = Укажите ваше имя (до 200 символов).
field-email = Укажите действительный адрес эл. почты.
field-email-taken = С этим адресом эл. почты уже есть учётная запись.
field-password = Пароль должен содержать от 8 до 1000 символов.
field-current_password = Это не ваш текущий пароль.
field-new_password = Новый пароль должен содержать от 8 до 1000 символов.
form-has-errors = Некоторые поля требуют внимания; см. пояснения рядом с ними.

## Layout and navigation
nav-label = Главное меню
nav-home = Главная
nav-tasks = Задачи
nav-password = Пароль
sign-out = Выйти
signed-out = Вы вышли из системы.
language = Язык
language-change = Сменить
signed-in-as = Вы вошли как
company = Компания
your-permissions = Ваши права

## Permissions
permission-view_clients = Просмотр клиентов
permission-manage_settings = Управление настройками
permission-view_all_calls = Просмотр всех звонков
permission-manage_employees = Управление сотрудниками
permission-post_call_events = Передача событий звонков

## Password change
password-title = Смена пароля
current-password = Текущий пароль
new-password = Новый пароль
password-button = Сменить пароль
password-changed = Пароль изменён. Другие ваши сеансы завершены.

## Tasks
tasks-title = Мои задачи
tasks-empty = У вас нет задач.
task-title = Задача
task-due = Срок
task-status = Статус
task-actions = Действия
task-overdue = просрочена
task-no-due = без срока
task-complete = Выполнить
task-reopen = Открыть снова
task-status-open = Открыта
task-status-done = Выполнена
task-status-cancelled = Отменена
task-not-assignee = Выполнить задачу может только исполнитель.
task-not-open = Эта задача уже не открыта.
task-already-open = Эта задача уже открыта.
task-completed = Задача выполнена.
task-reopened = Задача снова открыта.

## Navigation, home ("what needs me now"), first-run checklist, notifications
nav-calls = Звонки
nav-clients = Клиенты
nav-leads = Обращения
nav-orders = Заказы
nav-quotes = Сметы
nav-notifications = Уведомления
nav-settings = Настройки
badge-overdue = Просрочено
badge-urgent = Срочно
home-tasks = Мои открытые задачи
home-tasks-none = Открытых задач нет.
home-missed-none = Никто не ждёт перезвона.
home-leads = Мои новые обращения
home-leads-none = Новых обращений нет.
home-notifications = Непрочитанные уведомления
home-notifications-none = Всё прочитано.
first-run-title = С чего начать
first-run-employees = Добавьте сотрудников и их внутренние номера
first-run-phone-system = Подключите телефонию
first-run-automation = Включите автоматизацию
first-run-clients = Добавьте или импортируйте клиентов
first-run-done = (готово)
first-run-todo = (не сделано)
first-run-webhook = Ваша телефония отправляет каждое событие звонка на этот адрес с API-токеном, которому разрешено публиковать события звонков.
first-run-webhook-url = Адрес вебхука
first-run-make-token = Создать токен для телефонии
first-run-token = API-токен
first-run-token-once = Скопируйте токен сейчас: он показывается только один раз.
first-run-curl = Проверьте с помощью curl
notification-mark-read = Прочитано
notification-mark-read-of = Отметить прочитанным: { $title }
notifications-title = Уведомления
notifications-empty = Уведомлений пока нет.
notifications-unread = Не прочитано
notifications-read = Прочитано
notifications-when = Когда
notifications-what = Что
notifications-state = Статус
notifications-choices = Какие уведомления я получаю
notify-new-lead = Новое обращение для меня
notify-lead-assigned = Обращение, назначенное мне
notify-lead-overdue = Моё обращение просрочено
notifications-save = Сохранить
notifications-saved = Настройки сохранены.
notification-was-read = Отмечено прочитанным.

# The missed calls widget (R-U3) and recent calls (R-C8).
home-missed = Пропущенные звонки
home-missed-none-at-all = Пропущенных звонков нет.
home-missed-without-recovered = Без перезвоненных
home-missed-recovered = Перезвонили
home-missed-waiting = Ждёт перезвона
home-recent = Мои последние звонки
home-recent-none = Вы ещё не принимали и не совершали звонков.
home-recent-talked = Состоялся
home-recent-not-reached = Не дозвонились
