# Interface texts of the settings area, language ru. Every id exists in all four languages (i18n.rs tests it).

## Index and shared
settings-title = Настройки
settings-refused = Нет доступа
settings-not-found = Не найдено
settings-back = Вернуться к настройкам
settings-save = Сохранить
settings-saved = Настройки сохранены.
settings-none = (нет)
settings-revoke = Отозвать
settings-actions = Действия
settings-prefix = Начинается с
settings-created = Создан
settings-shown-once = Скопируйте сейчас: он показывается только один раз.

## Sections
settings-telephony-title = Телефония › Автоматизация
settings-telephony-about = Задачи по пропущенным звонкам, лиды по принятым и пропущенным звонкам, восстановление и тайминги.
settings-employees-title = Сотрудники
settings-employees-about = Кто здесь работает: внутренние номера, права, пароли.
settings-signing-title = Подпись вебхуков
settings-signing-about = Подписи событий звонков, которые присылает ваша АТС.
settings-tokens-title = API-токены
settings-tokens-about = Токены позволяют АТС или скрипту работать через API с правами, которые вы им дадите.
settings-audit-title = Журнал аудита
settings-audit-about = Входы, изменения токенов, сотрудников и настроек.

## Telephony > Automation (R-U5)
settings-rule-missed_call_task = Задача по пропущенному входящему звонку
settings-rule-answered_call_lead = Лид по принятому входящему звонку
settings-rule-missed_call_lead = Лид по пропущенному входящему звонку
settings-rule-enabled = Правило включено
settings-assignees = Назначить задачу
settings-task-mode = Задачи для исполнителей
settings-task-mode-shared = Одна общая задача на всех
settings-task-mode-each = Отдельная задача каждому
settings-due-in = Срок после пропущенного звонка
settings-days = Дни
settings-hours = Часы
settings-minutes = Минуты
settings-link-order = Привязать открытый заказ-наряд клиента
settings-link-lead = Привязать открытый лид клиента
settings-lead-type = Тип лида
settings-manager = Ответственный за лид
settings-notify = Уведомить
settings-even-if-open-order = Даже если у клиента есть открытый заказ-наряд
settings-even-if-open-lead = Даже если у клиента есть открытый лид
settings-recovery = Звонки и восстановление
settings-recovery-window-days = Окно восстановления (дней)
settings-recover-only-answered = Пропущенный звонок восстанавливает только принятый обратный звонок
settings-inbound-answer-recovers = Принятый входящий звонок с того же номера тоже его восстанавливает
settings-reuse-unknown-caller-lead = Использовать открытый лид неизвестного номера повторно
settings-settle-seconds = Ждать перед обработкой пропущенного звонка (секунд)
settings-stale-call-hours = Закрывать звонок без завершения через (часов)
settings-preview = Предпросмотр
settings-preview-hint = Предпросмотр показывает, что сделали бы эти настройки со звонками за последние { $days } дней, ничего не сохраняя.
settings-preview-title = Предпросмотр
settings-preview-summary = С этими настройками звонки за последние { $days } дней создали бы { $tasks ->
        [one] { $tasks } задачу
        [few] { $tasks } задачи
       *[other] { $tasks } задач
    } и { $leads ->
        [one] { $leads } лид
        [few] { $leads } лида
       *[other] { $leads } лидов
    } (просмотрено звонков: { $calls }). Ничего не сохранено.
settings-preview-call = Звонок
settings-preview-call-link = Звонок № { $id }
settings-preview-tasks = Задачи
settings-preview-leads = Лиды по правилам
settings-err-number = Введите целое число от { $min } до { $max }.
settings-err-assignees-required = Пока правило включено, выберите хотя бы одного сотрудника.
settings-err-employee = Выберите активных сотрудников этой компании, каждого по одному разу.
settings-err-lead-type = Выберите тип лида этой компании; он нужен, пока правило включено.

## Employees
settings-employee-add = Добавить сотрудника
settings-employee-add-button = Добавить
settings-employee-added = Сотрудник добавлен.
settings-employee-saved = Сотрудник сохранён.
settings-employee-password-reset = Пароль задан; все сеансы этого сотрудника завершены.
settings-employee-edit = Сотрудник { $name }
settings-employee-name = Имя
settings-employee-email = Эл. почта
settings-employee-password = Пароль
settings-employee-extensions = Внутренние номера
settings-employee-extensions-hint = Внутренние номера или SIP-логины через запятую.
settings-employee-permissions = Права
settings-employee-state = Состояние
settings-employee-active = Активен
settings-employee-inactive = Отключён
settings-employee-owner = Владелец (все права)
settings-employee-reset-title = Сбросить пароль
settings-employee-reset-about = Задаёт сотруднику новый пароль и завершает все его сеансы; его API-токены продолжают работать.
settings-employee-new-password = Новый пароль
settings-employee-reset-button = Задать пароль
settings-employee-own-password = Сменить свой пароль
settings-err-name = Введите имя (до 200 символов).
settings-err-extension = Неверный внутренний номер: { $problem }

## Webhook signing (R-I1, R-X8)
settings-signing-no-secret = Секрет для подписи не задан.
settings-signing-has-secret = Секрет для подписи задан.
settings-signing-required = События без подписи отклоняются.
settings-signing-optional = События без подписи принимаются.
settings-signing-require = Отклонять события звонков без верной подписи
settings-signing-needs-secret = Сначала создайте секрет, потом требуйте подпись.
settings-secrets = Секреты
settings-secret-new = Новый секрет для подписи
settings-secret-create = Создать секрет
settings-secret-rotate-hint = Чтобы сменить секрет: создайте новый, пропишите его в АТС, затем отзовите старый.
settings-secret-revoked = Секрет отозван.
settings-secret-last = Это последний секрет, а подпись обязательна: сначала отключите подпись или добавьте секрет.
settings-secret-revoke-label = Отозвать секрет { $prefix }

## API tokens (R-T5)
settings-tokens-empty = Токенов пока нет.
settings-token-name = Название
settings-token-employee = Сотрудник
settings-token-used = Последнее использование
settings-token-never-used = Никогда
settings-token-all-rights = Все права сотрудника
settings-token-revoked-at = Отозван
settings-token-revoked = Токен отозван.
settings-token-revoke-label = Отозвать токен { $name }
settings-token-create = Новый токен
settings-token-create-button = Создать токен
settings-token-new = Ваш новый токен
settings-err-token-name = Введите название от 1 до 100 символов.

## Audit log
settings-audit-empty = Пока ничего не записано.
settings-audit-at = Когда
settings-audit-action = Что
settings-audit-who = Кто
settings-audit-subject = Объект
settings-audit-address = Адрес
settings-audit-system = Система
settings-audit-token = (токен № { $id })
settings-audit-pages = Страницы журнала аудита
settings-audit-newest = Самые новые
settings-audit-older = Более старые

## Numbering, ad campaigns and locations
settings-lists-title = Нумерация и списки
settings-lists-about = Шаблоны номеров лидов, заказ-нарядов и смет; рекламные кампании и точки.
settings-numbering-title = Шаблоны нумерации
settings-numbering-hint = { "{N}" } или { "{N:5}" } ровно один раз для порядкового номера; { "{YYYY}" }, { "{YY}" }, { "{MM}" }, { "{DD}" } для даты; любой другой текст как есть.
settings-numbering-lead = Лиды
settings-numbering-order = Заказ-наряды
settings-numbering-quote = Сметы
settings-err-numbering = Используйте { "{N}" } (или { "{N:ширина}" }, ширина от 1 до 12) ровно один раз, только метки даты, не более 60 символов.
settings-campaigns-title = Рекламные кампании
settings-locations-title = Точки
settings-item-name = Название
settings-item-add = Добавить
settings-item-added = Добавлено.
settings-item-changed = Изменено.
settings-item-inactive = не предлагается для новых лидов
settings-item-activate = Снова предлагать
settings-item-deactivate = Больше не предлагать
settings-err-item-name = Введите название от 1 до 100 символов.
settings-err-item-taken = Это название уже есть в списке.
audit-action-sign-in = Вход
audit-action-sign-out = Выход
audit-action-password-changed = Пароль изменён
audit-action-permissions-changed = Права изменены
audit-action-employee-created = Сотрудник добавлен
audit-action-employee-activated = Сотрудник активирован
audit-action-employee-deactivated = Сотрудник деактивирован
audit-action-settings-changed = Настройки изменены
audit-action-token-created = API-токен создан
audit-action-token-revoked = API-токен отозван
audit-action-webhook-secret-created = Секрет подписи вебхука создан
audit-action-webhook-secret-revoked = Секрет подписи вебхука отозван
audit-action-contact-changed = Звонок привязан к другому клиенту

## Типы лидов, статусы и правила перехода статусов (R-M2, R-M6)
settings-lead-types-title = Типы лидов
settings-lead-types-about = Виды лидов, статус, с которого начинается каждый, и поля каждого.
settings-statuses-title = Статусы
settings-statuses-about = Статусы лидов и заказов и их группы.
settings-transfers-title = Правила перехода статусов
settings-transfers-about = В какой статус лид может перейти из какого.
settings-lead-types-hint = У каждого лида есть тип. Новый лид начинается в начальном статусе своего типа и получает собственные поля типа.
settings-lead-types-empty = Типов лидов пока нет.
settings-lead-type-initial-status = Начальный статус
settings-lead-type-fields = Поля формы
settings-lead-type-new = Новый тип лида
settings-lead-type-add = Добавить тип лида
settings-lead-type-added = Тип лида добавлен. Добавьте здесь его поля.
settings-lead-type-title = Тип лида «{ $name }»
settings-lead-type-fields-hint = Поля, которые есть у каждого лида этого типа, кроме обычных. Заполните пустую строку, чтобы добавить поле; чтобы добавить больше двух, сохраните и добавьте снова.
settings-field-row = Поле { $n }
settings-field-new = Новое поле
settings-field-key = Ключ
settings-field-key-hint = Ключ: имя, под которым хранится значение, от 1 до 40 строчных латинских букв (a–z), цифр или _, каждый ключ один раз.
settings-field-label = Подпись
settings-field-kind = Вид поля
settings-field-kind-text = Текст
settings-field-kind-number = Число
settings-field-kind-date = Дата
settings-field-kind-choice = Выбор из списка
settings-field-kind-yes-no = Да или нет
settings-field-required = Обязательное
settings-field-options = Варианты (только для выбора)
settings-field-options-hint = Варианты: по одному в строке или через запятую; они есть только у поля выбора.
settings-field-remove = Удалить это поле
settings-err-initial-status = Выберите статус лида этой компании.
settings-err-field-kind = Выберите один из видов поля.
settings-err-field-key = Используйте от 1 до 40 строчных латинских букв (a–z), цифр или _, каждый ключ только один раз.
settings-err-field-label = Введите подпись.
settings-err-field-options-needed = Полю выбора нужны варианты.
settings-err-field-options-only-choice = Варианты бывают только у поля выбора: очистите их или выберите вид «Выбор из списка».
settings-statuses-hint = Группа статуса определяет, открыты ли ещё его лиды и заказы. Системный статус сохраняет свою роль, как бы вы его ни переименовали.
settings-lead-statuses = Статусы лидов
settings-order-statuses = Статусы заказов
settings-status-group = Группа
settings-status-rename = Переименовать
settings-status-rename-label = Новое название для «{ $name }»
settings-status-system = системный
settings-status-new-name = Название нового статуса
settings-status-add = Добавить статус
settings-status-added = Статус добавлен.
settings-status-renamed = Статус переименован.
settings-err-status-group = Выберите одну из групп.
settings-order-group-new = Новый
settings-order-group-in-progress = В работе
settings-order-group-closed-success = Закрыт успешно
settings-order-group-closed-failure = Закрыт неуспешно
settings-transfers-none = Правил нет: лид может перейти из любого статуса в любой другой.
settings-transfers-some = { $statuses ->
        [one] Переходы ограничены из { $statuses } статуса.
        [few] Переходы ограничены из { $statuses } статусов.
        [many] Переходы ограничены из { $statuses } статусов.
       *[other] Переходы ограничены из { $statuses } статуса.
    }
settings-transfers-hint-free = Статус, в строке которого не отмечено ни одного поля, свободен: его лиды могут перейти в любой статус. Если не отмечено ничего, разрешён любой переход.
settings-transfers-hint-restrict = Отметьте поля в строке, чтобы лиды в этом статусе могли переходить только в отмеченные статусы; любой другой переход отклоняется с сообщением. Остаться в том же статусе можно всегда, поэтому если отметить только поле самого статуса, его лиды останутся в нём.
settings-transfers-hint-system = Переходы, которые Ringdesk делает сам в системный статус, этим правилам не подчиняются: когда заказ связывается с лидом и когда лид пропущенного звонка отменяется, потому что звонок всё-таки приняли.
settings-transfers-caption = Разрешённые переходы: строка — статус, в котором лид сейчас, столбец — статус, в который он переходит.
settings-transfers-from-to = Из ↓ в →
settings-transfer-label = Из «{ $from }» в «{ $to }»
settings-transfers-save = Сохранить правила

## Twilio (R-I2, R-X8)
settings-twilio-title = Twilio
settings-twilio-about = Уведомления о состоянии звонков из вашего аккаунта Twilio, проверенные по подписи, и звонок в один клик через Twilio.
settings-twilio-console = Что вставить в консоль Twilio
settings-twilio-callback = Адрес уведомлений о состоянии для этой компании
settings-twilio-callback-hint = Укажите его как вебхук «Call status changes» вашего номера Twilio (HTTP POST) и как statusCallback у элементов Number, Client и Sip вашего Dial, с событиями initiated, ringing, answered и completed. Он должен в точности совпадать с публичным адресом ниже: Twilio подписывает адрес целиком.
settings-twilio-token-set = Токен авторизации задан. Оставьте поле пустым, чтобы сохранить его.
settings-twilio-token-unset = Токен авторизации ещё не задан.
settings-twilio-enabled = Принимать уведомления Twilio о состоянии звонков
settings-twilio-token = Токен авторизации (из консоли Twilio)
settings-twilio-public-url = Публичный адрес, в точности как в консоли Twilio
settings-twilio-public-url-hint = Адрес, на который отправляет Twilio, как он виден из интернета (за прокси — адрес прокси).
settings-twilio-account-sid = Account SID (для звонка в один клик)
settings-twilio-caller-id = Номер для исходящих: ваш номер Twilio, с которого идут звонки в один клик
## Asterisk (AMI) connection (R-I3, R-X8)
ami-title = Asterisk (AMI)
ami-about = Подключите интерфейс управления АТС Asterisk: звонки приходят по мере того, как происходят.
ami-enabled = Подключаться к АТС
ami-host = Хост
ami-port = Порт
ami-username = Пользователь AMI
ami-secret = Секрет
ami-secret-set = Секрет задан; оставьте пустым, чтобы сохранить его
ami-secret-unset = Секрет не задан
ami-channel-template = Канал для звонка в один клик ({"{"}extension{"}"} заменяется)
ami-originate-context = Контекст для звонка в один клик
ami-internal-contexts = Контексты ваших телефонов (через запятую)
ami-auth-type = Вход
ami-auth-md5 = MD5-вызов
ami-auth-plain = Открытый секрет
ami-status-off = Не подключено (выключено).
ami-status-connecting = Подключение…
ami-status-connected = Подключено.
ami-status-down = Соединение потеряно; повторная попытка.
ami-status-login-refused = АТС отклонила вход: проверьте пользователя и секрет.
ami-field-invalid = Проверьте это значение.
ami-needs-secret = Задайте секрет, чтобы подключиться.
ami-gaps = Пропуски
ami-gaps-about = Периоды, когда АТС была недоступна: звонки, которые начались и закончились в это время, в Ringdesk не попали.
ami-no-gaps = Пропусков нет.
ami-gap-from = С
ami-gap-to = По
calls-ami-gap = Нет данных от АТС с { $from } по { $to }.

# Issue 13 item 4: business hours and the callback SLA.
settings-sla = Рабочее время и срок перезвона
settings-business-hours-hint = Часы работы по дням недели в часовом поясе компании, до четырёх интервалов в день; день без интервалов — выходной. Конец в 00:00 означает конец дня. Срок перезвона считается только в эти часы.
settings-day-mon = Понедельник
settings-day-tue = Вторник
settings-day-wed = Среда
settings-day-thu = Четверг
settings-day-fri = Пятница
settings-day-sat = Суббота
settings-day-sun = Воскресенье
settings-hours-from = С
settings-hours-to = до
settings-callback-sla-minutes = Перезвонить на пропущенный звонок в течение (рабочих минут, 0 — без срока)
settings-service-level-seconds = Уровень обслуживания: ответ в течение (секунд)
settings-err-hours = Укажите каждый интервал двумя временами, конец позже начала, по порядку и без пересечений, не более четырёх в день.
