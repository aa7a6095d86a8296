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
